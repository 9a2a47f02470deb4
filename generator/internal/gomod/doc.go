// Package gomod is what the generator asks of the go command and of
// go.mod and go.work files: module roots, workspaces, vendoring, the
// import path of a directory, what a pattern names and the module that
// holds it, the go command's errors on one line, and the rule for where a
// file may be written (ImportPath refuses, with an *OutsideError, a
// directory outside the main module or workspace).
//
// It imports pathmsg and golang.org/x/mod; every stage may import it.
package gomod
