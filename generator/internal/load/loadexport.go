package load

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
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
// source load's, and whether the package loaded without errors: a pattern that is a directory or may name a package of
// the main module, a package of the main module, a load with any error,
// a type not found, a file that cgo rewrites, a position that does not
// match the source. The caller then loads from source, which gives every
// message its usual words.
func fromExport(q *Query) (t *Target, clean bool) {
	pcfg := &packages.Config{Mode: exportMode, Dir: q.Dir}
	if len(q.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(q.Tags, ",")}
	}
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
	files := declaringFiles(t)
	if files == nil {
		return nil, true
	}
	syntax, ok := parseAt(p.Fset, files)
	if !ok {
		return nil, true
	}
	p.Syntax = syntax
	t.FromExport = true
	return t, true
}

// foreignPattern reports whether pattern is an import path that cannot be
// of the main module of dir: not a directory, not a pattern of several
// packages, not of the standard library, outside the module path in the
// go.mod file above dir, and with no go.work file in play.
func foreignPattern(dir, pattern string) bool {
	if pattern == "." || pattern == ".." || strings.HasPrefix(pattern, "./") || strings.HasPrefix(pattern, "../") ||
		filepath.IsAbs(pattern) || strings.Contains(pattern, "...") || strings.HasPrefix(pattern, "-") {
		return false
	}
	if first, _, _ := strings.Cut(pattern, "/"); !strings.Contains(first, ".") {
		// The standard library's, whose export data names its files
		// $GOROOT/src/...: they are not where the package's files are.
		return false
	}
	gowork := os.Getenv("GOWORK")
	if gowork != "off" && gowork != "" {
		return false
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	foreign := false // no go.mod yet
	for mod := ""; ; {
		// The go command looks for go.work above go.mod too.
		if gowork != "off" {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				return false
			}
		}
		if mod == "" {
			if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
				if mod = modfile.ModulePath(data); mod == "" {
					return false
				}
				foreign = pattern != mod && !strings.HasPrefix(pattern, mod+"/")
				if !foreign || gowork == "off" {
					return foreign
				}
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return foreign
		}
		d = parent
	}
}

// declaringFiles lists the files that declare the types of t and,
// recursively, the interfaces of t's package they embed, with the
// objects that each must declare at their positions; or nil if a position
// is not in one of the package's files.
func declaringFiles(t *Target) map[string][]types.Object {
	pkg := t.Pkg.Types
	fset := t.Pkg.Fset
	files := map[string][]types.Object{}
	ok := true
	add := func(obj types.Object) {
		pos := fset.Position(obj.Pos())
		if !slices.Contains(t.Pkg.GoFiles, pos.Filename) || pos.Line >= 1<<16 {
			ok = false
			return
		}
		files[pos.Filename] = append(files[pos.Filename], obj)
	}
	seen := map[types.Type]bool{}
	var visit func(typ types.Type)
	visit = func(typ types.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		if n, ok := typ.(interface{ Obj() *types.TypeName }); ok {
			if n.Obj().Pkg() != pkg {
				return
			}
			add(n.Obj())
		}
		it, isIface := types.Unalias(typ).Underlying().(*types.Interface)
		if !isIface {
			return
		}
		for i := range it.NumExplicitMethods() {
			add(it.ExplicitMethod(i))
		}
		for i := range it.NumEmbeddeds() {
			visit(it.EmbeddedType(i))
		}
	}
	for _, obj := range t.Objs {
		add(obj)
		visit(obj.Type())
	}
	if !ok {
		return nil
	}
	return files
}

// parseAt parses files, with their function bodies blanked, and moves
// every position of their syntax to where the export data puts the
// package's objects: the start of the line, in the token.File the
// importer made up for the file. It also records the column of each
// declared name on its line, so that messages show full positions. It
// reports false if a declaration is not where the export data says.
func parseAt(fset *token.FileSet, files map[string][]types.Object) ([]*ast.File, bool) {
	names := slices.Sorted(maps.Keys(files))
	// The files parse at once, each with a file set of its own.
	syntax := make([]*ast.File, len(names))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, name := range names {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			syntax[i] = parseOneAt(fset, name, files[name])
		})
	}
	wg.Wait()
	if slices.Contains(syntax, nil) {
		return nil, false
	}
	return syntax, true
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
	// The names each line declares, and the column of the first.
	declared := map[int][]string{}
	columns := map[int]int{}
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
			pos := own.Position(id.Pos())
			declared[pos.Line] = append(declared[pos.Line], id.Name)
			if c, ok := columns[pos.Line]; !ok || pos.Column < c {
				columns[pos.Line] = pos.Column
			}
		}
		return true
	})
	for _, obj := range objs {
		line := fset.Position(obj.Pos()).Line
		if !slices.Contains(declared[line], obj.Name()) || obj.Pos() != fake.Pos(line-1) {
			return nil
		}
	}
	lines := slices.Sorted(maps.Keys(columns))
	for _, line := range lines {
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
