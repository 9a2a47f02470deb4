//go:build !unix

package output

import "errors"

// errReadOnly is the error of a write to a read-only file system, which
// only Unix systems report apart from a permission error.
var errReadOnly = errors.New("read-only file system")

// processGone reports whether no process has the given PID, which this
// system does not tell: it reports false, and only age makes a temporary
// file stale.
func processGone(int) bool { return false }
