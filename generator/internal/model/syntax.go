package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// A syntaxIndex is what the model takes from the source of the target package:
// the skip directives and the order of interface elements. The zero value
// (or nil) knows no source.
type syntaxIndex struct {
	skipped map[token.Pos]bool               // method names and embedded types marked //breakergen:skip
	ifaces  map[token.Pos]*ast.InterfaceType // interfaces by the names of their methods
	decls   map[token.Pos]*ast.InterfaceType // interface type declarations by their names
}

// newSyntax indexes the interface types of files.
func newSyntax(files []*ast.File) *syntaxIndex {
	s := &syntaxIndex{skipped: map[token.Pos]bool{}, ifaces: map[token.Pos]*ast.InterfaceType{}, decls: map[token.Pos]*ast.InterfaceType{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if spec, ok := n.(*ast.TypeSpec); ok {
				if it, ok := spec.Type.(*ast.InterfaceType); ok {
					s.decls[spec.Name.Pos()] = it
				}
				return true
			}
			it, ok := n.(*ast.InterfaceType)
			if !ok {
				return true
			}
			for _, field := range it.Methods.List {
				if len(field.Names) > 0 {
					s.ifaces[field.Names[0].Pos()] = it
				}
				if hasSkipDirective(field.Doc) {
					s.skipped[field.Pos()] = true
				}
			}
			return true
		})
	}
	return s
}

// skipField reports whether an element of an interface's syntax carries
// the directive.
func (s *syntaxIndex) skipField(field *ast.Field) bool {
	return s != nil && s.skipped[field.Pos()]
}

// decl returns the syntax of the interface declared as obj, or nil.
func (s *syntaxIndex) decl(obj *types.TypeName) *ast.InterfaceType {
	if s == nil {
		return nil
	}
	return s.decls[obj.Pos()]
}

// source returns the syntax of it, or nil if it is not in the source or has
// no methods of its own to find it by.
func (s *syntaxIndex) source(it *types.Interface) *ast.InterfaceType {
	if s == nil || it.NumExplicitMethods() == 0 {
		return nil
	}
	return s.ifaces[it.ExplicitMethod(0).Pos()]
}

// SkipDirective is the directive that leaves a method unguarded.
const SkipDirective = "//breakergen:skip"

// hasSkipDirective reports whether a doc comment holds the skip directive.
func hasSkipDirective(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		text := strings.TrimRight(c.Text, " \t")
		if text == SkipDirective || strings.HasPrefix(text, SkipDirective+" ") {
			return true
		}
	}
	return false
}
