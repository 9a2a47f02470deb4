// Package generator writes circuit-breaker decorators for Go interfaces: the
// work behind the breakergen command.
//
// Run goes one way through four steps. Load runs golang.org/x/tools/go/packages
// once, type-checking the target package from source, its function bodies
// blanked, and its dependencies from export data, and finds the requested
// types; a package of another module comes from its export data too, with
// only the files that declare the interfaces parsed for their comments. The model says what to
// generate: methods in source order, which are guarded and why the others
// are not. One allocator then names everything the file declares or uses
// (import aliases, type parameters, receivers, parameters, results,
// locals) so that nothing collides. Emit renders the
// model with github.com/dave/jennifer, which qualifies and imports every
// foreign type and formats the result. Write replaces the output file
// atomically, never a file without a generated-code header, and not at all
// when its bytes would not change.
//
// The generated code calls package github.com/breakergen/breakergen/runtime;
// this package imports it only by path.
package generator

// The files follow the steps, and each calls only into the steps before it
// and into helpers that call into none: config.go checks the flags;
// load.go, bodies.go, loadexport.go, loaderr.go, goerr.go and
// excluded.go load and shape the errors of a load; output.go decides where the file goes; model.go,
// syntax.go, exported.go, imports.go and names.go build and name the
// model; emit.go and typecode.go render it; outcheck.go, write.go and
// notes.go check, write and report. run.go and batch.go only sequence the
// steps, for -type and for batch mode.
