package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteHonoursUmask: a written file has mode 0666 less the umask, as
// os.Create makes it (issue 14: checkpoints were forced to 0644).
func TestWriteHonoursUmask(t *testing.T) {
	for _, tt := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}, {0o002, 0o664}} {
		old := syscall.Umask(tt.umask)
		path := filepath.Join(t.TempDir(), "f")
		err := Write(path, []byte("a"), []byte("b"))
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != tt.want {
			t.Errorf("umask %03o: mode %v, want %v", tt.umask, fi.Mode().Perm(), tt.want)
		}
		if b, _ := os.ReadFile(path); string(b) != "ab" {
			t.Errorf("content %q", b)
		}
	}
}

func TestReplaceDir(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "model")
	write := func(content string) func(string) error {
		return func(dir string) error {
			if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o777); err != nil {
				return err
			}
			return Write(filepath.Join(dir, "sub", "f"), []byte(content))
		}
	}
	read := func() string {
		b, err := os.ReadFile(filepath.Join(path, "sub", "f"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := ReplaceDir(path, write("one")); err != nil || read() != "one" {
		t.Fatalf("new directory: %v", err)
	}
	if err := ReplaceDir(path, write("two")); err != nil || read() != "two" {
		t.Fatalf("replacing: %v", err)
	}
	boom := errors.New("boom")
	if err := ReplaceDir(path, func(dir string) error { write("three")(dir); return boom }); err != boom || read() != "two" {
		t.Fatalf("failed build: %v, directory now %q", err, read())
	}
	// A build killed earlier (its process gone) left its directory behind.
	stale := filepath.Join(parent, ".model.new-999999999-abc")
	if err := os.Mkdir(stale, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(path, write("four")); err != nil || read() != "four" {
		t.Fatalf("after a stale build: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("parent holds %v, want only the model directory", names)
	}
}
