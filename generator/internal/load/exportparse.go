package load

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"reflect"
	"slices"
	"sync"
)

// parseAt parses files, with their function bodies blanked, and moves
// every position of their syntax to where the export data puts the
// package's objects: the start of the line, in the token.File the
// importer made up for the file. It also records the column of each
// declared name on its line, so that messages show full positions. It
// returns nil if a declaration is not where the export data says, or if
// there are no files.
func parseAt(fset *token.FileSet, files map[string][]types.Object) []*ast.File {
	names := slices.Sorted(maps.Keys(files))
	// The files parse at once, each with a file set of its own.
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

// parseOneAt is parseAt for one file and the objects it declares, or nil.
func parseOneAt(fset *token.FileSet, name string, objs []types.Object) *ast.File {
	fake := fset.File(objs[0].Pos())
	src, err := os.ReadFile(name)
	if err != nil || fake == nil {
		return nil
	}
	own := token.NewFileSet()
	f, err := parseSignatures(own, name, src)
	if err != nil {
		return nil
	}
	if own.File(f.Pos()).LineCount() >= fake.Size() {
		return nil
	}
	// Only the declarations of types and imports are of use; the
	// rest need not be moved.
	f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
		gd, ok := d.(*ast.GenDecl)
		return !ok || gd.Tok != token.TYPE && gd.Tok != token.IMPORT
	})
	f.Comments = slices.DeleteFunc(f.Comments, func(g *ast.CommentGroup) bool {
		return !slices.ContainsFunc(f.Decls, func(d ast.Decl) bool { return d.Pos() <= g.Pos() && g.End() <= d.End() })
	})
	declared, columns := declaredLines(own, f)
	for _, obj := range objs {
		line := fset.Position(obj.Pos()).Line
		if !slices.Contains(declared[line], obj.Name()) || obj.Pos() != fake.Pos(line-1) {
			return nil
		}
	}
	for _, line := range slices.Sorted(maps.Keys(columns)) {
		if line-1 < fake.LineCount() {
			fake.AddLineColumnInfo(line-1, name, line, columns[line])
		}
	}
	movePositions(f, func(p token.Pos) token.Pos {
		if !p.IsValid() {
			return p
		}
		line := own.PositionFor(p, false).Line
		if line-1 > fake.Size() {
			return fake.Pos(fake.Size())
		}
		return fake.Pos(line - 1)
	})
	return f
}

var posType = reflect.TypeFor[token.Pos]()

// declaredLines maps the lines of f that declare types and interface
// methods to the names they declare and to the column of the first.
func declaredLines(fset *token.FileSet, f *ast.File) (declared map[int][]string, columns map[int]int) {
	declared, columns = map[int][]string{}, map[int]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		var ids []*ast.Ident
		switch n := n.(type) {
		case *ast.TypeSpec:
			ids = []*ast.Ident{n.Name}
		case *ast.InterfaceType:
			for _, field := range n.Methods.List {
				ids = append(ids, field.Names...)
			}
		}
		for _, id := range ids {
			pos := fset.Position(id.Pos())
			declared[pos.Line] = append(declared[pos.Line], id.Name)
			if c, ok := columns[pos.Line]; !ok || pos.Column < c {
				columns[pos.Line] = pos.Column
			}
		}
		return true
	})
	return declared, columns
}

// movePositions replaces every position in the syntax of f by move's.
func movePositions(f *ast.File, move func(token.Pos) token.Pos) {
	seen := map[any]bool{}
	set := func(n any) {
		if seen[n] {
			return
		}
		seen[n] = true
		v := reflect.ValueOf(n)
		if v.Kind() != reflect.Pointer || v.IsNil() {
			return
		}
		v = v.Elem()
		if v.Kind() != reflect.Struct {
			return
		}
		for i := range v.NumField() {
			if fv := v.Field(i); fv.Type() == posType && fv.CanSet() {
				fv.SetInt(int64(move(token.Pos(fv.Int()))))
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n != nil {
			set(n)
		}
		return true
	})
	for _, g := range f.Comments {
		set(g)
		for _, c := range g.List {
			set(c)
		}
	}
}
