//go:build !unix

package stream

import "os/exec"

// ownProcessGroup leaves c as it is where process groups are not
// available: its cancellation kills the shell only.
func ownProcessGroup(c *exec.Cmd) {}
