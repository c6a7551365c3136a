package supervisor

import (
	"os/exec"
	"syscall"
)

// setProcAttr asks the kernel to kill the plugin if the host dies without
// closing it (SIGKILL, crash), so no plugin outlives its host. Linux sends
// the signal when the forking thread exits, which Go's runtime does not do to
// its threads except for goroutines that exit while locked to one; svgai has
// none, and Close is the normal way out anyway.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
