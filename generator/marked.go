package generator

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/load"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// markedForBatch refuses to wrap with -type an interface of the main
// module that is marked //breakergen:generate: batch mode generates it too,
// and the two runs would rewrite each other's file in turn.
func markedForBatch(t *load.Target) error {
	if !load.Writable(t) {
		return nil
	}
	for _, obj := range t.Objs {
		file := t.Pkg.Fset.Position(obj.Pos()).Filename
		src, err := os.ReadFile(file)
		if err != nil || !bytes.Contains(src, []byte(genfile.Directive)) {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue // the load reported it, or will
		}
		if line := markOf(f, obj.Name()); line != nil {
			return pathmsg.Errorf("%s: %s is marked %s, so batch mode (breakergen ./...) generates its wrapper; remove the mark, or this -type run", pathmsg.Pos(fset.Position(line.Pos()).String()), obj.Name(), genfile.Directive)
		}
	}
	return nil
}

// markOf returns the //breakergen:generate line of the type name declared
// in f, or nil.
func markOf(f *ast.File, name string) *ast.Comment {
	for gd, spec := range load.TypeSpecs(f) {
		if spec.Name.Name == name {
			line, _ := findDirective(typeDoc(gd, spec))
			return line
		}
	}
	return nil
}
