package atomicfile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories a and b in one rename (renameat2 with
// RENAME_EXCHANGE, Linux 3.15). Where the file system cannot, it falls
// back to two renames, between which b is briefly absent.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return swapByRenames(a, b)
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}

// running reports whether a process with this pid exists.
func running(pid int) bool {
	return unix.Kill(pid, 0) != unix.ESRCH
}
