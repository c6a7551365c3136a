//go:build !linux

package atomicfile

import "os"

// exchange swaps the directories a and b with two renames: this platform
// has no atomic exchange, so b is briefly absent.
func exchange(a, b string) error { return swapByRenames(a, b) }

// running reports whether a process with this pid may exist; without a
// portable check, it says yes (stale directories are then kept).
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p != nil
}
