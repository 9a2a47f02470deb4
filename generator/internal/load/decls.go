package load

import (
	"go/ast"
	"go/token"
	"iter"
	"slices"
)

// TypeSpecs yields the package-level type declarations of f, each with the
// declaration that holds it, whose doc comment may be the type's.
func TypeSpecs(f *ast.File) iter.Seq2[*ast.GenDecl, *ast.TypeSpec] {
	return func(yield func(*ast.GenDecl, *ast.TypeSpec) bool) {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				if !yield(gd, s.(*ast.TypeSpec)) {
					return
				}
			}
		}
	}
}

// declaresType reports whether f declares a type with one of names at
// package level.
func declaresType(f *ast.File, names ...string) bool {
	for _, spec := range TypeSpecs(f) {
		if slices.Contains(names, spec.Name.Name) {
			return true
		}
	}
	return false
}
