package generator

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A syntaxIndex is what the model takes from the source of the target package:
// the skip directives and the order of interface elements. The zero value
// (or nil) knows no source.
type syntaxIndex struct {
	skipped map[token.Pos]bool               // method names marked //breakergen:skip
	ifaces  map[token.Pos]*ast.InterfaceType // interfaces by the names of their methods
}

// newSyntax indexes the interface types of files.
func newSyntax(files []*ast.File) *syntaxIndex {
	s := &syntaxIndex{skipped: map[token.Pos]bool{}, ifaces: map[token.Pos]*ast.InterfaceType{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			it, ok := n.(*ast.InterfaceType)
			if !ok {
				return true
			}
			for _, field := range it.Methods.List {
				if len(field.Names) == 0 {
					continue
				}
				s.ifaces[field.Names[0].Pos()] = it
				if hasSkipDirective(field.Doc) {
					s.skipped[field.Names[0].Pos()] = true
				}
			}
			return true
		})
	}
	return s
}

// skip reports whether the method declared at pos carries the directive.
func (s *syntaxIndex) skip(pos token.Pos) bool {
	return s != nil && s.skipped[pos]
}

// source returns the syntax of it, or nil if it is not in the source or has
// no methods of its own to find it by.
func (s *syntaxIndex) source(it *types.Interface) *ast.InterfaceType {
	if s == nil || it.NumExplicitMethods() == 0 {
		return nil
	}
	return s.ifaces[it.ExplicitMethod(0).Pos()]
}
