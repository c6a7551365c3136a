package hdf5store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Names of the files beside a store at path.
func journalPath(path string) string    { return path + ".journal" }
func journalTmpPath(path string) string { return path + ".journal.tmp" }
func snapshotTmpPath(path string) string {
	return path + ".tmp"
}
func lockPath(path string) string { return path + ".lock" }

// lockFile takes an exclusive advisory lock on path+".lock". The lock file
// stays behind after Close: deleting it would let a process that opened it
// just before lock a file nobody else can see.
func lockFile(path string) (*os.File, error) {
	lp := lockPath(path)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("hdf5store: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := ""
		if b, rerr := os.ReadFile(lp); rerr == nil && len(b) > 0 && len(b) < 32 {
			holder = ", process " + strings.TrimSpace(string(b))
		}
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("hdf5store: %s: %w (lock file %s%s); open it read-only or wait", path, ErrLocked, lp, holder)
		}
		return nil, fmt.Errorf("hdf5store: lock %s: %w", lp, err)
	}
	// The holder's process id, for the message a second writer gets; only
	// informative, the flock is what excludes.
	if f.Truncate(0) == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// syncDir makes a rename or create in dir durable.
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", filepath.Dir(path), err)
	}
	return nil
}

// replaceFile renames tmp over dst and makes the rename durable.
func replaceFile(tmp, dst string) error {
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncDir(dst)
}
