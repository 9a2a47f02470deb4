package generator

import (
	"go/ast"
	"go/parser"
	"slices"

	"fmt"
	"github.com/dave/jennifer/jen"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"strings"
)

// Run loads the package, builds the model of the requested interfaces,
// emits the wrappers and writes them (or, with Check, compares them with
// the file on disk). Nothing is written when it returns an error.
func Run(cfg Config) error {
	if len(cfg.Types) == 0 {
		return &UsageError{"-type is required"}
	}
	for _, name := range cfg.Types {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-type: %q is not a Go identifier", name)}
		}
	}
	t, err := load(&cfg)
	if err != nil {
		return err
	}
	out, err := outputFor(&cfg, t)
	if err != nil {
		return err
	}
	file := &File{
		PkgPath:   out.pkgPath,
		PkgName:   out.pkgName,
		Args:      cfg.Args,
		PerMethod: cfg.PerMethod,
	}
	syntax := newSyntax(t.pkg.Syntax)
	// First the models as declared, to learn which packages the file
	// imports; then again with every name avoiding those imports.
	imports := map[string]string{RuntimePath: "runtime"}
	for _, obj := range t.objs {
		it, err := newInterface(obj, syntax, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", position(&cfg, t.pkg.Fset, obj.Pos()), err)
		}
		if err := checkExported(it, obj, out.pkgPath); err != nil {
			return fmt.Errorf("%s: %w", position(&cfg, t.pkg.Fset, obj.Pos()), err)
		}
		collectImports(it, imports)
		if out.pkgPath != t.pkg.PkgPath {
			for _, path := range sortedKeys(imports) {
				if path != out.pkgPath && !importable(path, out.pkgPath) {
					return fmt.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another tree; generate into package %s instead", position(&cfg, t.pkg.Fset, obj.Pos()), it.Name, out.pkgPath, path, t.pkg.Name)
				}
			}
		}
	}
	for _, obj := range t.objs {
		for _, name := range []string{wrapperName(obj.Name()), ctorName(obj.Name())} {
			if pos, ok := out.declared[name]; ok {
				return fmt.Errorf("%s: cannot wrap %s: %s is already declared at %s; rename one of them", position(&cfg, t.pkg.Fset, obj.Pos()), obj.Name(), name, relPos(cfg.Dir, pos))
			}
		}
	}
	delete(imports, out.pkgPath)
	file.Imports = importNames(imports, out.scope)
	avoid := map[string]bool{}
	for _, imp := range file.Imports {
		avoid[imp.Name] = true
	}
	for _, obj := range t.objs {
		it, err := newInterface(obj, syntax, avoid)
		if err != nil {
			return err
		}
		file.Interfaces = append(file.Interfaces, it)
	}
	src, err := emit(file)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Types[0], err)
	}
	if cfg.Check {
		return check(cfg.Dir, out.file, src)
	}
	return write(cfg.Dir, out.file, src)
}

// position formats pos relative to the working directory.
func position(cfg *Config, fset *token.FileSet, pos token.Pos) string {
	return relPos(cfg.Dir, fset.Position(pos).String())
}

// An output is where the generated file goes.
type output struct {
	file    string          // path of the file
	pkgPath string          // import path of its package
	pkgName string          // name of its package
	scope   map[string]bool // names declared at package level there
	// declared maps the package-level names declared in files other than
	// the output and files written by breakergen to their positions.
	declared map[string]string
}

// outputFor decides the output file and its package.
func outputFor(cfg *Config, t *target) (*output, error) {
	if cfg.Output == "" {
		name := strings.ToLower(cfg.Types[0]) + "_breaker.go"
		if t.inTest {
			name = strings.ToLower(cfg.Types[0]) + "_breaker_test.go"
		}
		file := filepath.Join(t.dir, name)
		return &output{file: file, pkgPath: t.pkg.PkgPath, pkgName: t.pkg.Name, scope: scopeOf(t), declared: declaredBy(t, file)}, nil
	}
	file := cfg.Output
	if !filepath.IsAbs(file) && cfg.Dir != "" {
		file = filepath.Join(cfg.Dir, file)
	}
	file, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if filepath.Ext(file) != ".go" {
		return nil, &UsageError{fmt.Sprintf("-output %s: not a .go file", cfg.Output)}
	}
	dir := filepath.Dir(file)
	isTest := strings.HasSuffix(file, "_test.go")
	pkgDir, err := filepath.Abs(t.dir)
	if err != nil {
		return nil, err
	}
	names := packageNamesIn(dir, file)
	if dir == pkgDir {
		// The package itself, or its external test package.
		want := t.pkg.Name
		if t.inTest && !isTest {
			return nil, fmt.Errorf("-output %s: %s is declared in a _test.go file, so the wrapper must go in a _test.go file too", cfg.Output, cfg.Types[0])
		}
		return &output{file: file, pkgPath: t.pkg.PkgPath, pkgName: want, scope: scopeOf(t), declared: declaredBy(t, file)}, nil
	}
	// Another package: its import path follows from the directories, within
	// the module.
	if t.pkg.Module == nil || t.pkg.Module.Dir == "" {
		return nil, fmt.Errorf("-output %s: cannot tell the import path of %s outside a module", cfg.Output, dir)
	}
	rel, err := filepath.Rel(t.pkg.Module.Dir, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("-output %s: directory %s is outside module %s", cfg.Output, dir, t.pkg.Module.Path)
	}
	pkgPath := path.Join(t.pkg.Module.Path, filepath.ToSlash(rel))
	if t.testPkg || strings.HasSuffix(t.pkg.ID, ".test]") && t.inTest {
		return nil, fmt.Errorf("-output %s: %s is declared in a _test.go file, which no other package can import; generate into its own package", cfg.Output, cfg.Types[0])
	}
	if !importable(t.pkg.PkgPath, pkgPath) {
		return nil, fmt.Errorf("-output %s: package %s may not import %s, which is internal to another tree", cfg.Output, pkgPath, t.pkg.PkgPath)
	}
	var name string
	switch len(names) {
	case 0:
		name = defaultPackageName(pkgPath)
	case 1:
		name = names[0]
	default:
		return nil, fmt.Errorf("-output %s: directory %s holds packages %s; cannot tell which one the file belongs to", cfg.Output, dir, strings.Join(names, " and "))
	}
	scope, declared := declaredIn(dir, file)
	return &output{file: file, pkgPath: pkgPath, pkgName: name, scope: scope, declared: declared}, nil
}

// importable reports whether a package at from may import the package at
// path under the internal-directory rule.
func importable(path, from string) bool {
	i := strings.LastIndex(path, "/internal/")
	switch {
	case i >= 0:
	case strings.HasSuffix(path, "/internal"):
		i = len(path) - len("/internal")
	case strings.HasPrefix(path, "internal/") || path == "internal":
		return false // the standard library's
	default:
		return true
	}
	parent := path[:i]
	return from == parent || strings.HasPrefix(from, parent+"/")
}

// defaultPackageName is the package name for a new directory: its last
// element, as an identifier.
func defaultPackageName(pkgPath string) string {
	base := path.Base(pkgPath)
	var b strings.Builder
	for _, r := range base {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || !token.IsIdentifier(b.String()) || token.IsKeyword(b.String()) {
		return "breakers"
	}
	return strings.ToLower(b.String())
}

// checkExported reports an error when code in package outPath cannot
// write the wrapper of it: an interface, method or type in a signature
// that is unexported in another package.
func checkExported(it *Interface, obj *types.TypeName, outPath string) error {
	where := fmt.Sprintf("cannot wrap %s in package %s", it.Name, outPath)
	fix := fmt.Sprintf("generate into package %s instead", obj.Pkg().Name())
	if foreign(obj, outPath) {
		return fmt.Errorf("%s: %s is unexported; %s", where, it.Name, fix)
	}
	for _, m := range it.Methods {
		if !m.Exported && m.PkgPath != outPath {
			if obj.Pkg().Path() == outPath {
				return fmt.Errorf("%s: method %s is unexported in package %s, so only that package can implement %s", where, m.Name, m.PkgPath, it.Name)
			}
			return fmt.Errorf("%s: method %s is unexported in package %s; %s", where, m.Name, m.PkgPath, fix)
		}
		if name := unexportedIn(m.Sig, outPath); name != "" {
			if obj.Pkg().Path() == outPath {
				return fmt.Errorf("%s: method %s uses %s, which is unexported, so only that package can name it", where, m.Name, name)
			}
			return fmt.Errorf("%s: method %s uses %s, which is unexported; %s", where, m.Name, name, fix)
		}
	}
	for _, tp := range it.TypeParams {
		if name := unexportedIn(tp.Constraint, outPath); name != "" {
			if obj.Pkg().Path() == outPath {
				return fmt.Errorf("%s: type parameter %s uses %s, which is unexported, so only that package can name it", where, tp.Name, name)
			}
			return fmt.Errorf("%s: type parameter %s uses %s, which is unexported; %s", where, tp.Name, name, fix)
		}
	}
	return nil
}

// foreign reports whether obj is unexported in a package other than the
// one at path.
func foreign(obj types.Object, path string) bool {
	return obj.Pkg() != nil && obj.Pkg().Path() != path && !obj.Exported()
}

// unexportedIn names the first type, struct field or interface method in t
// that is unexported in a package other than the one at path, or returns "".
func unexportedIn(t types.Type, path string) string {
	var found string
	walkTypes(t, func(t types.Type) {
		if found != "" {
			return
		}
		switch t := t.(type) {
		case *types.Named:
			if foreign(t.Obj(), path) {
				found = "type " + t.Obj().Pkg().Name() + "." + t.Obj().Name()
			}
		case *types.Alias:
			if foreign(t.Obj(), path) {
				found = "type " + t.Obj().Pkg().Name() + "." + t.Obj().Name()
			}
		case *types.Struct:
			for f := range t.Fields() {
				if foreign(f, path) {
					found = "struct field " + f.Name() + " of package " + f.Pkg().Path()
					return
				}
			}
		case *types.Interface:
			for i := range t.NumExplicitMethods() {
				if m := t.ExplicitMethod(i); foreign(m, path) {
					found = "interface method " + m.Name() + " of package " + m.Pkg().Path()
					return
				}
			}
		}
	})
	return found
}

// collectImports adds the packages that the wrapper of it refers to.
func collectImports(it *Interface, imports map[string]string) {
	add := func(t types.Type) {
		walkTypes(t, func(t types.Type) {
			var obj *types.TypeName
			switch t := t.(type) {
			case *types.Named:
				obj = t.Obj()
			case *types.Alias:
				obj = t.Obj()
			case *types.Basic:
				if t.Kind() == types.UnsafePointer {
					imports["unsafe"] = "unsafe"
				}
			}
			if obj != nil && obj.Pkg() != nil {
				imports[obj.Pkg().Path()] = obj.Pkg().Name()
			}
		})
	}
	add(it.Type)
	for _, tp := range it.TypeParams {
		add(tp.Constraint)
	}
	for _, m := range it.Methods {
		add(m.Sig)
	}
}

// walkTypes calls f for t and every type t is made of, each once.
func walkTypes(t types.Type, f func(types.Type)) {
	seen := map[types.Type]bool{}
	var visit func(types.Type)
	visit = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		f(t)
		switch t := t.(type) {
		case *types.Alias:
			for a := range t.TypeArgs().Types() {
				visit(a)
			}
		case *types.Named:
			for a := range t.TypeArgs().Types() {
				visit(a)
			}
		case *types.Pointer:
			visit(t.Elem())
		case *types.Slice:
			visit(t.Elem())
		case *types.Array:
			visit(t.Elem())
		case *types.Chan:
			visit(t.Elem())
		case *types.Map:
			visit(t.Key())
			visit(t.Elem())
		case *types.Signature:
			for v := range t.Params().Variables() {
				visit(v.Type())
			}
			for v := range t.Results().Variables() {
				visit(v.Type())
			}
		case *types.Struct:
			for fld := range t.Fields() {
				visit(fld.Type())
			}
		case *types.Interface:
			for i := range t.NumEmbeddeds() {
				visit(t.EmbeddedType(i))
			}
			for i := range t.NumExplicitMethods() {
				visit(t.ExplicitMethod(i).Type())
			}
		case *types.Union:
			for i := range t.Len() {
				visit(t.Term(i).Type())
			}
		case *types.TypeParam:
			// Its constraint belongs to the declaration, not to this use.
		}
	}
	visit(t)
}

// An Import is a package the generated file imports.
type Import struct {
	Pkg  string // the package's name
	Name string // the name it is imported under
}

// importNames names the imports of the generated file: each package by its
// own name unless that is taken by a package-level name of the output
// package, an earlier import (in path order) or a Go keyword or predeclared
// name, in which case by the name with a numeric suffix.
func importNames(imports map[string]string, scope map[string]bool) map[string]Import {
	taken := map[string]bool{}
	for name := range scope {
		taken[name] = true
	}
	out := map[string]Import{}
	// The runtime of generated code first, so it keeps its name.
	paths := append([]string{RuntimePath}, slices.DeleteFunc(sortedKeys(imports), func(p string) bool { return p == RuntimePath })...)
	for _, path := range paths {
		pkg, ok := imports[path]
		if !ok {
			continue
		}
		name := pkg
		for k := 1; taken[name] || jen.IsReservedWord(name); k++ {
			name = fmt.Sprintf("%s%d", pkg, k)
		}
		taken[name] = true
		out[path] = Import{Pkg: pkg, Name: name}
	}
	return out
}

// scopeOf lists the package-level names of the target package.
func scopeOf(t *target) map[string]bool {
	names := map[string]bool{}
	for _, name := range t.pkg.Types.Scope().Names() {
		names[name] = true
	}
	return names
}

// declaredBy maps the package-level names of the target package that are
// declared outside file and outside files written by breakergen to their
// positions.
func declaredBy(t *target, file string) map[string]string {
	declared := map[string]string{}
	for _, name := range t.pkg.Types.Scope().Names() {
		pos := t.pkg.Fset.Position(t.pkg.Types.Scope().Lookup(name).Pos())
		if pos.Filename != "" && pos.Filename != file && !isGeneratedFile(pos.Filename) {
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
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, file := range files {
		if file == skip || strings.HasSuffix(file, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		generated := isGeneratedFile(file)
		add := func(id *ast.Ident) {
			names[id.Name] = true
			if !generated {
				declared[id.Name] = fset.Position(id.Pos()).String()
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					add(d.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						add(spec.Name)
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							add(n)
						}
					}
				}
			}
		}
	}
	return names, declared
}
