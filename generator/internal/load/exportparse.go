package load

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"slices"
	"sync"
)

// parseAt parses files, with their function bodies blanked, into fset,
// where the export data's importer made up a file for each that knows
// lines but not columns, and points the names that declare the objects
// of each file at the objects' positions: the model finds the syntax of
// a type or a method by its object's position. It also gives each such
// line the column of its name, so that messages show full positions. It
// returns nil if a declaration is not where the export data says, or if
// there are no files.
func parseAt(fset *token.FileSet, files map[string][]types.Object) []*ast.File {
	names := slices.Sorted(maps.Keys(files))
	syntax := make([]*ast.File, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { syntax[i] = parseOneAt(fset, name, files[name]) })
	}
	wg.Wait()
	if len(syntax) == 0 || slices.Contains(syntax, nil) {
		return nil
	}
	return syntax
}

// A declName is a name that a declaration gives, its column, and the
// type spec or interface type it belongs to.
type declName struct {
	id     *ast.Ident
	column int
	in     ast.Node
}

// parseOneAt is parseAt for one file and the objects it declares, or nil.
// The names are found by line, so a line where one name is declared twice,
// or where the names the model looks up belong to two declarations, is
// left to the source load.
func parseOneAt(fset *token.FileSet, name string, objs []types.Object) *ast.File {
	fake := fset.File(objs[0].Pos())
	src, err := os.ReadFile(name)
	if err != nil || fake == nil {
		return nil
	}
	f, err := parseSignatures(fset, name, src)
	if err != nil {
		return nil
	}
	lines := map[int][]declName{}
	add := func(id *ast.Ident, in ast.Node) {
		pos := fset.Position(id.Pos())
		lines[pos.Line] = append(lines[pos.Line], declName{id, pos.Column, in})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			add(n.Name, n)
		case *ast.InterfaceType:
			for _, field := range n.Methods.List {
				for _, id := range field.Names {
					add(id, n)
				}
			}
		}
		return true
	})
	owners := map[token.Pos]ast.Node{}
	columns := map[int]int{} // by line, of the first name the line declares
	for _, obj := range objs {
		line := fset.Position(obj.Pos()).Line
		at := slices.DeleteFunc(slices.Clone(lines[line]), func(d declName) bool { return d.id.Name != obj.Name() })
		key := obj.Pos()
		if _, isType := obj.(*types.TypeName); !isType {
			key = -key // the model looks types and methods up apart
		}
		if len(at) != 1 || obj.Pos() != fake.Pos(line-1) || owners[key] != nil && owners[key] != at[0].in {
			return nil
		}
		owners[key] = at[0].in
		if c, ok := columns[line]; !ok || at[0].column < c {
			columns[line] = at[0].column
		}
		at[0].id.NamePos = obj.Pos()
	}
	// Line information is added in the order of lines.
	for _, line := range slices.Sorted(maps.Keys(columns)) {
		fake.AddLineColumnInfo(line-1, name, line, columns[line])
	}
	return f
}
