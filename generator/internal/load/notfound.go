package load

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/buildcons"
	"github.com/breakergen/breakergen/generator/internal/gomod"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// notFound says that a type is missing, and where it is when a file the
// build excludes declares it, or else names close ones.
func notFound(q *Query, name string, pkgs []*packages.Package) error {
	var where, close []string
	for _, p := range pkgs {
		if !slices.Contains(where, p.PkgPath) {
			where = append(where, p.PkgPath)
		}
		for _, n := range p.Types.Scope().Names() {
			if _, ok := p.Types.Scope().Lookup(n).(*types.TypeName); ok && pathmsg.Similar(name, n) {
				close = append(close, n)
			}
		}
	}
	msg := fmt.Sprintf("type %s not found in package %s", name, strings.Join(where, ", "))
	if hint := excludedHint(q, name, pkgs); hint != nil {
		return pathmsg.Errorf("%s: %s", msg, hint)
	}
	if len(close) > 0 {
		slices.Sort(close)
		return pathmsg.Errorf("%s; did you mean %s?", msg, strings.Join(slices.Compact(close), " or "))
	}
	return pathmsg.Errorf("%s; %s", msg, interfacesIn(pkgs))
}

// interfacesIn says which interfaces of method sets pkgs declare, the
// ones -type can name, those of their _test.go files included, which the
// load may have left out: "its interfaces are A, B and C", the first few
// of many, or that it declares none.
func interfacesIn(pkgs []*packages.Package) string {
	var names []string
	for _, p := range pkgs {
		for _, n := range p.Types.Scope().Names() {
			if obj, ok := p.Types.Scope().Lookup(n).(*types.TypeName); ok {
				if it, ok := obj.Type().Underlying().(*types.Interface); ok && it.IsMethodSet() {
					names = append(names, n)
				}
			}
		}
		names = append(names, testInterfaces(p.Dir)...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	const most = 6
	switch {
	case len(names) == 0:
		return "it declares no interface"
	case len(names) == 1:
		return "its one interface is " + names[0]
	case len(names) > most+1:
		return fmt.Sprintf("its interfaces include %s and %d more", strings.Join(names[:most], ", "), len(names)-most)
	}
	return fmt.Sprintf("its interfaces are %s and %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// testInterfaces lists the interfaces of method sets that the _test.go
// files of dir declare, read from their syntax: an interface with a
// union or ~T element is a constraint, which -type cannot name.
func testInterfaces(dir string) []string {
	var names []string
	for _, file := range gomod.FilesIn(dir, "_test.go") {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, spec := range TypeSpecs(f) {
			if it, ok := spec.Type.(*ast.InterfaceType); ok && !slices.ContainsFunc(it.Methods.List, isConstraintElem) {
				names = append(names, spec.Name.Name)
			}
		}
	}
	return names
}

// isConstraintElem reports whether an interface element is a union or a
// ~T term, which only constraint interfaces have.
func isConstraintElem(field *ast.Field) bool {
	switch field.Type.(type) {
	case *ast.BinaryExpr, *ast.UnaryExpr:
		return true
	}
	return false
}

// excludedHint says why a type that no loaded file declares is missing
// when a file of the package that this build excludes declares it: build
// constraints, a file name for another system, or cgo while CGO_ENABLED=0;
// and how to include it. It returns nil when no excluded file declares it.
func excludedHint(q *Query, name string, pkgs []*packages.Package) *pathmsg.Msg {
	for _, p := range pkgs {
		for _, file := range p.IgnoredFiles {
			if filepath.Ext(file) != ".go" {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil || !declaresType(f, name) {
				continue
			}
			return pathmsg.Sprintf("it is declared in %s, %s", pathmsg.Path(file), buildcons.Excluded(file, f, q.Tags))
		}
	}
	return nil
}
