package output

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/load"
)

// A wrapped is an interface whose wrapper a generated file declares.
type wrapped struct {
	name    string // the name given to -type: the wrapper's name without "Breaker"
	pkgPath string // the import path that qualifies the interface, or "" for the file's own package
}

// wrappedTypes lists the names of the interfaces file holds wrappers of.
func wrappedTypes(file string) []string {
	var names []string
	for _, w := range wrappers(file) {
		names = append(names, w.name)
	}
	return names
}

// wrappers lists the interfaces whose wrappers file declares, from its
// compile-time checks: var _ AgentClient = (*AgentClientBreaker)(nil).
// Only the top level is read: the bodies of its functions, most of a
// generated file, are blanked before it is parsed.
func wrappers(file string) []wrapped {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	if blank := load.BlankBodies(src); blank != nil {
		src = blank
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	imports := FileImports(f)
	var list []wrapped
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "_" || len(vs.Values) != 1 {
				continue
			}
			w := wrapped{name: strings.TrimSuffix(conversionType(vs.Values[0]), "Breaker")}
			if w.name == "" || w.name == conversionType(vs.Values[0]) {
				continue
			}
			if sel, ok := unindex(vs.Type).(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok {
					w.pkgPath = imports[x.Name]
				}
			}
			list = append(list, w)
		}
	}
	return list
}

// conversionType is W in (*W)(nil) or (*W[T])(nil), or "".
func conversionType(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	paren, ok := call.Fun.(*ast.ParenExpr)
	if !ok {
		return ""
	}
	star, ok := paren.X.(*ast.StarExpr)
	if !ok {
		return ""
	}
	if id, ok := unindex(star.X).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// unindex is e without type arguments.
func unindex(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.IndexExpr:
		return x.X
	case *ast.IndexListExpr:
		return x.X
	}
	return e
}

// stillDeclared reports whether the interface of w may still exist: it is
// declared in the package of t, or in the output's package, or it is of
// a package this run did not load and so cannot tell.
func stillDeclared(t *load.Target, out *File, w wrapped) bool {
	switch w.pkgPath {
	case "":
		if out.PkgPath == t.Pkg.PkgPath {
			return t.Pkg.Types.Scope().Lookup(w.name) != nil
		}
		return out.Scope[w.name]
	case t.Pkg.PkgPath:
		return t.Pkg.Types.Scope().Lookup(w.name) != nil
	}
	return true
}
