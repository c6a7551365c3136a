package discover

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/config"
)

func TestPlugin(t *testing.T) {
	mk := func(t *testing.T, names ...string) string {
		dir := t.TempDir()
		for _, n := range names {
			mode := os.FileMode(0o755)
			if strings.HasSuffix(n, ".txt") {
				mode = 0o644
			}
			if err := os.WriteFile(filepath.Join(dir, n), nil, mode); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	tests := []struct {
		name  string
		files []string
		want  string // file name, or an error substring prefixed by "!"
	}{
		{"one plugin", []string{"svgai-plugin-foo", "other"}, "svgai-plugin-foo"},
		{"default wins", []string{"svgai-plugin-aaa", DefaultName}, DefaultName},
		{"ambiguous", []string{"svgai-plugin-a", "svgai-plugin-b"}, "!several plugins"},
		{"not executable ignored", []string{"svgai-plugin-notes.txt"}, "!no svgai-plugin-*"},
		{"empty", nil, "!no svgai-plugin-*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := mk(t, tt.files...)
			got, err := Plugin(config.Plugin{Dir: dir})
			if msg, isErr := strings.CutPrefix(tt.want, "!"); isErr {
				if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), msg) {
					t.Errorf("Plugin = %q, %v; want error %q", got, err, msg)
				}
				return
			}
			if err != nil || got != filepath.Join(dir, tt.want) {
				t.Errorf("Plugin = %q, %v; want %s", got, err, tt.want)
			}
		})
	}
	if _, err := Plugin(config.Plugin{Path: filepath.Join(t.TempDir(), "nope")}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "plugin.path") {
		t.Errorf("missing plugin.path: %v", err)
	}
}

func TestVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	const sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // sha256sum of "abc"
	if got, err := FileSHA256(path); err != nil || got != sum {
		t.Fatalf("FileSHA256 = %s, %v", got, err)
	}
	if err := Verify(path, strings.ToUpper(sum)); err != nil {
		t.Errorf("Verify(right sum) = %v", err)
	}
	if err := Verify(path, strings.Repeat("0", 64)); !errors.Is(err, ErrChecksum) {
		t.Errorf("Verify(wrong sum) = %v, want ErrChecksum", err)
	}
	if err := Verify(path+"x", sum); err == nil || errors.Is(err, ErrChecksum) {
		t.Errorf("Verify(missing file) = %v", err)
	}
}

func TestPinFor(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, DefaultName)
	if err := os.WriteFile(bin, []byte("plugin"), 0o755); err != nil {
		t.Fatal(err)
	}
	sum, _ := FileSHA256(bin)
	other := strings.Repeat("ab", 32)
	tests := []struct {
		name     string
		s        config.Plugin
		file     string // checksum file content; "" for none
		want     Pin
		wantErr  error
		errWords string
	}{
		{"checksum file from make build", config.Plugin{}, sum + "  " + DefaultName + "\n", Pin{SHA256: sum, Source: bin + ".sha256"}, nil, ""},
		{"bare checksum file", config.Plugin{}, strings.ToUpper(sum), Pin{SHA256: sum, Source: bin + ".sha256"}, nil, ""},
		{"plugin.sha256 wins", config.Plugin{SHA256: strings.ToUpper(other)}, sum, Pin{SHA256: other, Source: "plugin.sha256"}, nil, ""},
		{"malformed file", config.Plugin{}, "not-a-sum " + DefaultName, Pin{}, nil, "is not a SHA-256"},
		{"unpinned", config.Plugin{}, "", Pin{}, ErrUnpinned, "make build"},
		{"unpinned allowed", config.Plugin{AllowUnpinned: true}, "", Pin{Source: "none (plugin.allow_unpinned = true)"}, nil, ""},
		{"implicit file names the program", config.Plugin{Path: bin, SHA256: sum, Implicit: "plugin.toml"}, sum, Pin{}, ErrUntrusted, "plugin.path, plugin.sha256"},
		{"implicit file sets env", config.Plugin{Env: []string{"LD_PRELOAD=x.so"}, Implicit: "plugin.toml"}, sum, Pin{}, ErrUntrusted, "plugin.env"},
		{"implicit file with other keys", config.Plugin{Args: []string{"--model", "m"}, Implicit: "plugin.toml"}, sum, Pin{SHA256: sum, Source: bin + ".sha256"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(bin + ChecksumSuffix)
			if tt.file != "" {
				if err := os.WriteFile(bin+ChecksumSuffix, []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := PinFor(tt.s, bin)
			if tt.wantErr != nil || tt.errWords != "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || !strings.Contains(err.Error(), tt.errWords) {
					t.Fatalf("PinFor = %+v, %v; want error %v mentioning %q", got, err, tt.wantErr, tt.errWords)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("PinFor = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
