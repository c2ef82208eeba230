//go:build unix

package stream

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup makes c run in a new process group and its cancellation
// kill that whole group, so that the children of a shell die with it.
func ownProcessGroup(c *exec.Cmd) {
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
}
