package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"github.com/breakergen/breakergen/generator/internal/typewalk"
)

// collectImports adds the packages that the wrapper of it refers to.
func collectImports(it *Interface, imports map[string]string) {
	add := func(t types.Type) {
		typewalk.Walk(t, func(t types.Type) {
			if b, ok := t.(*types.Basic); ok && b.Kind() == types.UnsafePointer {
				imports["unsafe"] = "unsafe"
			}
			obj := typewalk.Named(t)
			if obj != nil && obj.Pkg() != nil {
				imports[obj.Pkg().Path()] = obj.Pkg().Name()
			}
		})
	}
	add(it.Type)
	for _, tp := range it.TypeParams {
		add(tp.Constraint)
	}
	for _, m := range it.Methods {
		add(m.Sig)
	}
}

// sourceImportNames maps the import paths of the files that declare objs
// to the names those files use for them: the explicit name, or the package's
// own. Blank and dot imports give no name. The first file to import a path
// wins.
func sourceImportNames(pkg *types.Package, files []*ast.File, fset *token.FileSet, objs []*types.TypeName) map[string]string {
	own := map[string]string{}
	for _, imp := range pkg.Imports() {
		own[imp.Path()] = imp.Name()
	}
	names := map[string]string{}
	for _, obj := range objs {
		file := fset.PositionFor(obj.Pos(), false).Filename
		for _, f := range files {
			if fset.PositionFor(f.Pos(), false).Filename != file {
				continue
			}
			for _, spec := range f.Imports {
				path, err := strconv.Unquote(spec.Path.Value)
				if err != nil {
					continue
				}
				name := own[path]
				if spec.Name != nil {
					name = spec.Name.Name
				}
				if _, ok := names[path]; !ok && name != "_" && name != "." && name != "" {
					names[path] = name
				}
			}
		}
	}
	return names
}
