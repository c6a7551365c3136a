package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Stdio is the file name that means standard input or standard output,
// wherever a command takes a file.
const Stdio = "-"

// Open opens name for reading; "-" is standard input (closing it does
// nothing).
func (e *Env) Open(name string) (io.ReadCloser, error) {
	if name == Stdio {
		return io.NopCloser(e.Stdin), nil
	}
	return os.Open(name)
}

// ReadFile reads name, or standard input for "-", refusing more than limit
// bytes (0: no limit). Errors name the file.
func (e *Env) ReadFile(name string, limit int64) ([]byte, error) {
	f, err := e.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := io.Reader(f)
	if limit > 0 {
		r = io.LimitReader(f, limit+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", displayName(name), err)
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", displayName(name), limit)
	}
	return b, nil
}

// WriteFile writes data to name, or to standard output for "-". A file is
// written to a temporary file beside it and renamed into place, so an
// interrupted run never leaves half a file behind; it is not synced, as
// outputs can be made again.
func (e *Env) WriteFile(name string, data []byte) error {
	if name == Stdio {
		_, err := e.Stdout.Write(data)
		return err
	}
	return WriteFile(name, data)
}

// WriteFile writes data to path through a temporary file in the same
// directory and a rename.
func WriteFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// displayName names a file in messages: "standard input" for "-".
func displayName(name string) string {
	if name == Stdio {
		return "standard input"
	}
	return name
}
