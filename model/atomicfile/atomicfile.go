// Package atomicfile replaces files and directories so that readers, and a
// crash, never see half of one.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes the parts to a temporary file beside path, syncs it, renames
// it over path and syncs the directory, so that a reader sees the old file or
// the new one, never half of one. A new file's mode is 0666 less the umask,
// as os.Create makes it.
func Write(path string, parts ...[]byte) error {
	dir := filepath.Dir(path)
	f, tmp, err := createTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	for _, p := range parts {
		if _, err := f.Write(p); err != nil {
			return fail(err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// createTemp creates a new file named prefix plus a random suffix in dir
// with mode 0666 less the umask (os.CreateTemp would make it 0600).
func createTemp(dir, prefix string) (*os.File, string, error) {
	for range 10 {
		name := filepath.Join(dir, prefix+randomSuffix())
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("no free temporary name in %s", dir)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// syncDir makes a rename in dir durable, where the file system can.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: some file systems cannot sync directories
		d.Close()
	}
}
