// Package generator writes circuit-breaker decorators for Go interfaces: the
// work behind the breakergen command.
//
// Run checks the Config and goes one way through the stages, each an
// internal package that imports only the ones before it, which the compiler
// enforces:
//
//	load    go/packages: the package and the interfaces, or why not
//	model   what the file holds, and every name in it
//	emit    the source, rendered with jennifer and formatted
//	output  where the file goes, the checks before writing, the write
//
// gomod (the go command, modules and workspaces), genfile (generated-file
// headers), buildcons (build constraints of files), typewalk and pathmsg
// serve all of them. The stages name every path in their messages
// absolute; Run makes them short for the user, in one place (see package
// pathmsg). Batch mode, without Types, runs the stages for each interface
// marked //breakergen:generate, and removes the files of interfaces that
// are no longer marked.
//
// The generated code calls package github.com/breakergen/breakergen/runtime;
// this package imports it only by path.
package generator

// Within each package the files depend on each other in one direction:
// TestFilesOneWay fails on a cycle.
