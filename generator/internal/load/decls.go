package load

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"github.com/breakergen/breakergen/generator/internal/typewalk"
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

// declared lists objs, the named types of their package that their
// interfaces embed, recursively, and the methods of every interface they
// are made of, embedded interface literals included.
func declared(objs []*types.TypeName) []types.Object {
	var out []types.Object
	seen := map[types.Type]bool{}
	var visit func(t types.Type)
	visit = func(t types.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		if obj := typewalk.Named(t); obj != nil {
			if obj.Pkg() != objs[0].Pkg() {
				return
			}
			out = append(out, obj)
		}
		if it, ok := types.Unalias(t).Underlying().(*types.Interface); ok {
			for m := range it.ExplicitMethods() {
				out = append(out, m)
			}
			for e := range it.EmbeddedTypes() {
				visit(e)
			}
		}
	}
	for _, obj := range objs {
		out = append(out, obj)
		visit(obj.Type())
	}
	return out
}
