//go:build unix

package generator

import "syscall"

// errReadOnly is the error of a write to a read-only file system.
var errReadOnly error = syscall.EROFS
