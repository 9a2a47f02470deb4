// Package load finds the interfaces a run wraps: it loads packages with
// golang.org/x/tools/go/packages, their function bodies blanked before
// they are parsed (see BlankBodies), or a package of another module from
// its export data (see fromExport), and turns what went wrong into one
// line with its advice: load errors, a type that is not found, a file
// that the build excludes.
//
// It imports gomod, genfile, buildcons, typewalk and pathmsg; model,
// output and the generator import it.
package load
