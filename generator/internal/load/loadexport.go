package load

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/packages"
)

// exportMode loads a package from its export data alone: what go list
// -export compiled, with no parsing or type-checking of its source.
const exportMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedTypes | packages.NeedModule

// fromExport finds the requested types of a package of another module,
// such as a dependency's, in its export data, and parses only the files
// that declare them and the interfaces they embed, for their
// //breakergen:skip lines and the order of their elements. Parsing and
// type-checking a large package from source (go-redis's, for its
// Cmdable) took about half of the process's CPU.
//
// It returns nil whenever the answer could differ in any way from the
// source load's: a pattern that is a directory or may name a package of
// the main module, a package of the main module, a load with any error,
// a type not found, a file that cgo rewrites, a position that does not
// match the source; and it reports whether the package loaded without
// errors. The caller then loads from source, which gives every message
// its usual words.
func fromExport(q *Query) (t *Target, clean bool) {
	pcfg := q.config(exportMode)
	pkgs, err := packages.Load(pcfg, q.Patterns...)
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		return nil, false
	}
	p := pkgs[0]
	if p.Types == nil || p.Module == nil || p.Module.Main || !slices.Equal(p.GoFiles, p.CompiledGoFiles) {
		return nil, true
	}
	t, err = findTypes(q, pkgs)
	if err != nil || t.InTest {
		return nil, true
	}
	if p.Syntax = parseAt(p.Fset, declaringFiles(t)); p.Syntax == nil {
		return nil, true
	}
	t.FromExport = true
	return t, true
}

// declaringFiles lists the files that declare the types of t and,
// recursively, the interfaces of t's package they embed, with the
// objects that each must declare at their positions; or nil if a position
// is not in one of the package's files.
func declaringFiles(t *Target) map[string][]types.Object {
	var objs []types.Object
	seen := map[types.Type]bool{}
	var visit func(typ types.Type)
	visit = func(typ types.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		if n, ok := typ.(interface{ Obj() *types.TypeName }); ok {
			if n.Obj().Pkg() != t.Pkg.Types {
				return
			}
			objs = append(objs, n.Obj())
		}
		if it, ok := types.Unalias(typ).Underlying().(*types.Interface); ok {
			for m := range it.ExplicitMethods() {
				objs = append(objs, m)
			}
			for e := range it.EmbeddedTypes() {
				visit(e)
			}
		}
	}
	for _, obj := range t.Objs {
		objs = append(objs, obj)
		visit(obj.Type())
	}
	files := map[string][]types.Object{}
	for _, obj := range objs {
		pos := t.Pkg.Fset.Position(obj.Pos())
		if !slices.Contains(t.Pkg.GoFiles, pos.Filename) || pos.Line >= 1<<16 {
			return nil
		}
		files[pos.Filename] = append(files[pos.Filename], obj)
	}
	return files
}
