//go:build !linux

package redisstore

import "os/exec"

// dieWithTest does nothing where the system cannot tie a child process's
// life to its parent's; the tests' cleanups still stop it.
func dieWithTest(*exec.Cmd) {}
