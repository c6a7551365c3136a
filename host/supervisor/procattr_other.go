//go:build !linux

package supervisor

import "os/exec"

// setProcAttr does nothing where the kernel cannot tie the plugin's life to
// the host's; Close still stops it.
func setProcAttr(*exec.Cmd) {}
