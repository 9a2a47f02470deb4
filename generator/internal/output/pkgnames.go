package output

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/load"
)

// scopeOf lists the package-level names of the target package.
func scopeOf(t *load.Target) map[string]bool {
	names := map[string]bool{}
	for _, name := range t.Pkg.Types.Scope().Names() {
		names[name] = true
	}
	return names
}

// declaredBy maps the package-level names of the target package that are
// declared outside file and outside files written by breakergen to their
// positions.
func declaredBy(t *load.Target, file string) map[string]string {
	declared := map[string]string{}
	generated := map[string]bool{} // by file, read once
	for _, name := range t.Pkg.Types.Scope().Names() {
		pos := t.Pkg.Fset.Position(t.Pkg.Types.Scope().Lookup(name).Pos())
		if pos.Filename == "" || pos.Filename == file {
			continue
		}
		gen, ok := generated[pos.Filename]
		if !ok {
			gen = genfile.IsGenerated(pos.Filename)
			generated[pos.Filename] = gen
		}
		if !gen {
			declared[name] = pos.String()
		}
	}
	return declared
}

// declaredIn lists the package-level names declared in the non-test Go
// files of dir other than skip, read without type-checking, and maps
// those outside files written by breakergen to their positions.
func declaredIn(dir, skip string) (names map[string]bool, declared map[string]string) {
	names = map[string]bool{}
	declared = map[string]string{}
	files := gomod.FilesIn(dir, ".go")
	for _, file := range files {
		if file == skip || strings.HasSuffix(file, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		generated := genfile.IsGenerated(file)
		add := func(id *ast.Ident) {
			names[id.Name] = true
			if !generated {
				declared[id.Name] = fset.Position(id.Pos()).String()
			}
		}
		for _, id := range TopLevelNames(f) {
			add(id)
		}
	}
	return names, declared
}

// TopLevelNames lists the names f declares at package level: functions,
// types, variables and constants, not methods.
func TopLevelNames(f *ast.File) []*ast.Ident {
	var ids []*ast.Ident
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				ids = append(ids, d.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					ids = append(ids, spec.Name)
				case *ast.ValueSpec:
					ids = append(ids, spec.Names...)
				}
			}
		}
	}
	return ids
}

// FileImports maps the names f's imports are used under to their paths.
func FileImports(f *ast.File) map[string]string {
	imports := map[string]string{}
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := gomod.AssumedName(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = path
	}
	return imports
}

// packageNamesIn lists the package names of the Go files in dir other than
// skip, without a _test suffix.
func packageNamesIn(dir, skip string) []string {
	files := gomod.FilesIn(dir, ".go")
	var names []string
	for _, file := range files {
		if file == skip {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.PackageClauseOnly)
		if err != nil {
			continue
		}
		name := f.Name.Name
		if strings.HasSuffix(file, "_test.go") {
			name = strings.TrimSuffix(name, "_test")
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
