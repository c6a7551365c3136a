package hdf5store

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// h5dumpCheck runs HDF5's own h5dump (Debian package hdf5-tools) over the
// snapshot at path, when it is installed, and returns its output.
func h5dumpCheck(t *testing.T, args ...string) string {
	t.Helper()
	exe, err := exec.LookPath("h5dump")
	if err != nil {
		return ""
	}
	out, err := exec.Command(exe, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("h5dump %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestH5dump checks that a snapshot is an ordinary HDF5 file with the
// documented layout, as HDF5's reference tool sees it.
func TestH5dump(t *testing.T) {
	if _, err := exec.LookPath("h5dump"); err != nil {
		t.Skip("h5dump not installed (Debian package hdf5-tools)")
	}
	schema := allKinds()
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	mustAppend(t, mustTable(t, s, ""), rowsFor(schema.Tables[0], "k", 0, 40))
	mustAppend(t, mustTable(t, s, "quarantine"), []Row{{Key: "bad", Values: map[string]any{"reason": "ssim out of range"}}})
	if err := s.SetAttr("schema_version", "3"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	header := h5dumpCheck(t, "-p", "-H", path)
	for _, want := range []string{
		`DATASET "key"`, `DATASET "vf32"`, `GROUP "quarantine"`, `ATTRIBUTE "hdf5store_schema"`, `ATTRIBUTE "schema_version"`,
		"H5T_IEEE_F32LE", "H5T_IEEE_F64LE", "H5T_STD_I64LE", "H5T_STR_NULLPAD", "H5T_CSET_UTF8",
		"SIMPLE { ( 40, 3 ) / ( H5S_UNLIMITED, 3 ) }", "CHUNKED", "COMPRESSION DEFLATE { LEVEL 4 }",
		"PREPROCESSING SHUFFLE", "CHECKSUM FLETCHER32",
	} {
		if !strings.Contains(header, want) {
			t.Errorf("h5dump -H output lacks %q", want)
		}
	}
	data := h5dumpCheck(t, "-d", "/key", "-d", "/quarantine/reason", "-a", "/schema_version", path)
	for _, want := range []string{`"k00000", "k00001"`, `"ssim out of range"`, `"3"`} {
		if !strings.Contains(data, want) {
			t.Errorf("h5dump data output lacks %s:\n%s", want, data)
		}
	}
}

// TestReaderReadOnly checks that opening and closing a reader changes no
// file, creates none and takes no lock, even beside a journal.
func TestReaderReadOnly(t *testing.T) {
	path, _ := crashState(t, 3, 4) // snapshot plus a journal, no writer
	before := map[string]os.FileInfo{}
	for _, p := range []string{path, journalPath(path)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		before[p] = fi
	}
	time.Sleep(10 * time.Millisecond) // so that a write would change mtime
	r, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if n := mustTable(t, r, "").Len(); n != 7 {
		t.Fatalf("reader sees %d rows, want 7", n)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for p, fi := range before {
		now, err := os.Stat(p)
		if err != nil || !os.SameFile(fi, now) || now.Size() != fi.Size() || !now.ModTime().Equal(fi.ModTime()) {
			t.Errorf("%s changed by a reader: %v", p, err)
		}
	}
	for _, p := range []string{lockPath(path), snapshotTmpPath(path), journalTmpPath(path)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("reader created %s", p)
		}
	}
}
