//go:build !unix

package generator

import "errors"

// errReadOnly is the error of a write to a read-only file system, which
// only Unix systems report apart from a permission error.
var errReadOnly = errors.New("read-only file system")
