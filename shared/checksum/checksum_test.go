package checksum

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	// sha256sum of "abc" (FIPS 180-2, appendix B.1).
	if got, err := File(path); err != nil || got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("File = %s, %v", got, err)
	}
	if _, err := File(path + ".none"); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}
