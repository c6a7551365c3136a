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

// roomMargin is what checkRoom adds for HDF5's own structures (an empty
// dataset file takes about 28 KiB); it adds an eighth more for
// fixed-length strings padded beyond what deflate removes.
const roomMargin = 64 << 10

// checkRoom fails if a file of up to need bytes cannot be written beside
// path: too little free space (for an unprivileged user) or a file size
// limit below it. The HDF5 library copes badly with a write failing under
// it (a file whose close failed stays open in it until exit), so a
// snapshot is not started that could not finish.
func checkRoom(path string, need int64) error {
	need += roomMargin + need/8
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err == nil {
		if free := int64(st.Bavail) * st.Bsize; free < need {
			return fmt.Errorf("%w: %s has %d bytes free, a new snapshot may need %d", syscall.ENOSPC, filepath.Dir(path), free, need)
		}
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err == nil && lim.Cur < uint64(need) {
		return fmt.Errorf("%w: files may not grow past %d bytes here (RLIMIT_FSIZE), a new snapshot may need %d", syscall.EFBIG, lim.Cur, need)
	}
	return nil
}
