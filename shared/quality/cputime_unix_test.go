//go:build unix

package quality

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the process has used.
// Benchmarks report it per operation because wall time on a shared machine
// measures the neighbours as much as the code.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
