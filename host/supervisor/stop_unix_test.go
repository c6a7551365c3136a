//go:build unix

package supervisor

import "syscall"

// stopProcess freezes pid (SIGSTOP), to make a hung plugin.
func stopProcess(pid int) error { return syscall.Kill(pid, syscall.SIGSTOP) }
