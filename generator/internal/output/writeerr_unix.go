//go:build unix

package output

import "syscall"

// errReadOnly is the error of a write to a read-only file system.
var errReadOnly error = syscall.EROFS

// processGone reports whether no process has the given PID.
func processGone(pid int) bool {
	return syscall.Kill(pid, 0) == syscall.ESRCH
}
