package load

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
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
	files := map[string][]types.Object{}
	for _, obj := range declared(t.Objs) {
		pos := t.Pkg.Fset.Position(obj.Pos())
		if !slices.Contains(t.Pkg.GoFiles, pos.Filename) || pos.Line >= 1<<16 {
			return nil
		}
		files[pos.Filename] = append(files[pos.Filename], obj)
	}
	return files
}

// parseAt parses files, with their function bodies blanked, into fset,
// where the export data's importer made up a file for each that knows
// lines but not columns, and points the names that declare the objects
// of each file at the objects' positions: the model finds the syntax of
// a type or a method by its object's position. It also gives each such
// line the column of its name, so that messages show full positions. It
// returns nil if a declaration is not where the export data says, or if
// there are no files.
func parseAt(fset *token.FileSet, files map[string][]types.Object) []*ast.File {
	var syntax []*ast.File
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := parseOneAt(fset, name, files[name])
		if f == nil {
			return nil
		}
		syntax = append(syntax, f)
	}
	return syntax
}

// A declName is a name that a declaration gives, and the type spec or
// interface type it belongs to.
type declName struct {
	id *ast.Ident
	in ast.Node
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
	names, columns := declNames(fset, f)
	owners := map[token.Pos]ast.Node{}
	var lines []int
	for _, obj := range objs {
		line := fset.Position(obj.Pos()).Line
		at := slices.DeleteFunc(slices.Clone(names[line]), func(d declName) bool { return d.id.Name != obj.Name() })
		key := obj.Pos()
		if _, isType := obj.(*types.TypeName); !isType {
			key = -key // the model looks types and methods up apart
		}
		if len(at) != 1 || obj.Pos() != fake.Pos(line-1) || owners[key] != nil && owners[key] != at[0].in {
			return nil
		}
		owners[key], at[0].id.NamePos = at[0].in, obj.Pos()
		lines = append(lines, line)
	}
	// Line information is added in the order of lines.
	slices.Sort(lines)
	for _, line := range slices.Compact(lines) {
		fake.AddLineColumnInfo(line-1, name, line, columns[line])
	}
	return f
}

// declNames lists the names that the type declarations and the interface
// types of f declare, by line, and the column of the first name on each
// line.
func declNames(fset *token.FileSet, f *ast.File) (map[int][]declName, map[int]int) {
	names, columns := map[int][]declName{}, map[int]int{}
	add := func(id *ast.Ident, in ast.Node) {
		pos := fset.Position(id.Pos())
		names[pos.Line] = append(names[pos.Line], declName{id, in})
		if c, ok := columns[pos.Line]; !ok || pos.Column < c {
			columns[pos.Line] = pos.Column
		}
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
	return names, columns
}
