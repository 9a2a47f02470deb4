//go:build linux

package redisstore

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes cmd's process receive SIGKILL when the test process
// dies, so that a test killed before its cleanup runs (a signal, a pipe
// closed under it) leaves no server or replica process behind.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
