package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loadMode is the smallest mode that gives the target's types and syntax:
// the target is type-checked from source, its dependencies come from
// export data.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedModule

// A target is the package that declares the requested interfaces.
type target struct {
	pkg     *packages.Package
	objs    []*types.TypeName // one per requested type, in order
	inTest  bool              // declared in a _test.go file
	dir     string            // the directory of the package's files
	testPkg bool              // an external test package (name_test)
	batch   bool              // found by batch mode, which wraps interfaces of the main modules only
}

// load runs packages.Load once and finds the requested types.
func load(cfg *Config) (*target, error) {
	patterns := patterns(cfg)
	tests := declaredInTests(cfg.Dir, patterns, cfg.Types)
	if !tests {
		if t := loadExport(cfg, patterns); t != nil {
			return t, nil
		}
	}
	pkgs, err := loadSignatures(cfg, patterns, tests)
	if err != nil {
		return nil, err
	}
	t, err := findTypes(cfg, pkgs)
	if err != nil && !tests && fatalError(cfg, pkgs) == nil {
		// Not in the package's own files: perhaps in its tests, behind a
		// pattern declaredInTests could not look into.
		if pkgs2, err2 := loadSignatures(cfg, patterns, true); err2 == nil {
			if t2, err2 := findTypes(cfg, pkgs2); err2 == nil {
				return t2, nil
			}
		}
	}
	return t, err
}

// loadSignatures is loadPackages, faster: it parses the target's files
// with their function bodies blanked (see blankBodies). A package with an
// error other than a type error is loaded again as loadPackages does, so
// that a syntax error in a body reads as it always has; the type errors
// are the same either way, since parseDecls drops the bodies it parses.
func loadSignatures(cfg *Config, patterns []string, tests bool) ([]*packages.Package, error) {
	pkgs, err := loadWith(cfg, patterns, tests, parseSignatures)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Kind != packages.TypeError {
				return loadPackages(cfg, patterns, tests)
			}
		}
	}
	return pkgs, nil
}

func loadPackages(cfg *Config, patterns []string, tests bool) ([]*packages.Package, error) {
	return loadWith(cfg, patterns, tests, parseDecls)
}

// loadWith loads patterns, parsing the files of the packages they match
// with parse.
func loadWith(cfg *Config, patterns []string, tests bool, parse func(*token.FileSet, string, []byte) (*ast.File, error)) ([]*packages.Package, error) {
	pcfg := &packages.Config{
		Mode:      loadMode,
		Dir:       cfg.Dir,
		Tests:     tests,
		ParseFile: parse,
	}
	if len(cfg.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		if gerr := goCommandError(cfg.Dir, err); gerr != nil {
			return nil, gerr
		}
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		msg := fmt.Sprintf("no packages match %s%s", strings.Join(patterns, " "), goListError(pcfg, patterns))
		if hint := otherModule(cfg.Dir, patterns); hint != "" {
			msg += "; " + hint
		}
		return nil, errors.New(msg)
	}
	return pkgs, nil
}

// parseDecls parses a file of the target package for go/packages without
// its function bodies, which the type checker then skips: the generator
// needs the package's declarations, not its code, and a package of many
// files loads faster. The bodies of init functions, which must have one,
// stay. Blank variables (var _ I = (*T)(nil)) go too: they declare
// nothing, and their checks cost the most in packages of large interfaces.
func parseDecls(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	if f != nil {
		f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !(d.Recv == nil && d.Name.Name == "init") {
					d.Body = nil
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					d.Specs = slices.DeleteFunc(d.Specs, blankVar)
					return len(d.Specs) == 0
				}
			}
			return false
		})
	}
	return f, err
}

// parseSignatures is parseDecls on src with its function bodies blanked,
// which parses in a fraction of the time, or on src itself when
// blankBodies cannot blank them.
func parseSignatures(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if blank := blankBodies(src); blank != nil {
		src = blank
	}
	return parseDecls(fset, filename, src)
}

// blankVar reports whether a var spec declares only blank names.
func blankVar(spec ast.Spec) bool {
	for _, name := range spec.(*ast.ValueSpec).Names {
		if name.Name != "_" {
			return false
		}
	}
	return true
}

// goListError explains an empty load: packages.Load hides some failures of
// the go command, such as a go.mod that needs updating. It runs only after
// a load failed.
func goListError(pcfg *packages.Config, patterns []string) string {
	args := append([]string{"list"}, pcfg.BuildFlags...)
	cmd := exec.Command("go", append(append(args, "--"), patterns...)...)
	cmd.Dir = pcfg.Dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	msg := strings.Join(strings.Fields(string(out)), " ")
	if msg == "" {
		return ""
	}
	return ": " + msg
}

// findTypes picks the package that declares the requested types. Of a
// package and its test variant, which both declare the types of the
// package's own files, it prefers the package.
func findTypes(cfg *Config, pkgs []*packages.Package) (*target, error) {
	var candidates []*packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") || p.Types == nil {
			continue // the generated test main
		}
		candidates = append(candidates, p)
	}
	// Plain packages before test variants, so a type of a non-test file
	// resolves to the package itself.
	slices.SortStableFunc(candidates, func(a, b *packages.Package) int {
		return boolInt(strings.Contains(a.ID, " [")) - boolInt(strings.Contains(b.ID, " ["))
	})
	first := cfg.Types[0]
	var found *packages.Package
	for _, p := range candidates {
		if obj, ok := p.Types.Scope().Lookup(first).(*types.TypeName); ok && !isGeneratedPos(p.Fset, obj.Pos()) {
			if found != nil && found.PkgPath != p.PkgPath && !strings.Contains(p.ID, " [") {
				return nil, fmt.Errorf("type %s is declared in both %s and %s: give one package", first, found.PkgPath, p.PkgPath)
			}
			if found == nil {
				found = p
			}
		}
	}
	if found == nil {
		if err := fatalError(cfg, pkgs); err != nil {
			return nil, err
		}
		return nil, notFound(cfg, first, candidates)
	}
	t := &target{pkg: found}
	for _, name := range cfg.Types {
		obj, ok := found.Types.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			return nil, notFound(cfg, name, []*packages.Package{found})
		}
		t.objs = append(t.objs, obj)
	}
	if err := loadError(cfg, t); err != nil {
		return nil, err
	}
	pos := found.Fset.Position(t.objs[0].Pos())
	t.dir = filepath.Dir(pos.Filename)
	t.inTest = strings.HasSuffix(pos.Filename, "_test.go")
	t.testPkg = strings.HasSuffix(found.Name, "_test") && t.inTest
	return t, nil
}

// notFound says that a type is missing, and where it is when a file the
// build excludes declares it, or else names close ones.
func notFound(cfg *Config, name string, pkgs []*packages.Package) error {
	var where []string
	var close []string
	for _, p := range pkgs {
		if !slices.Contains(where, p.PkgPath) {
			where = append(where, p.PkgPath)
		}
		for _, n := range p.Types.Scope().Names() {
			if _, ok := p.Types.Scope().Lookup(n).(*types.TypeName); ok && similar(name, n) && !slices.Contains(close, n) {
				close = append(close, n)
			}
		}
	}
	msg := fmt.Sprintf("type %s not found in package %s", name, strings.Join(where, ", "))
	if hint := excludedHint(cfg, name, pkgs); hint != "" {
		return fmt.Errorf("%s: %s", msg, hint)
	}
	if len(close) > 0 {
		slices.Sort(close)
		return fmt.Errorf("%s; did you mean %s?", msg, strings.Join(close, " or "))
	}
	return fmt.Errorf("%s; %s", msg, interfacesIn(pkgs))
}

// interfacesIn says which interfaces of method sets pkgs declare, the
// ones -type can name, those of their _test.go files included, which the
// load may have left out: "its interfaces are A, B and C", the first few
// of many, or that it declares none.
func interfacesIn(pkgs []*packages.Package) string {
	var names []string
	for _, p := range pkgs {
		for _, n := range p.Types.Scope().Names() {
			obj, ok := p.Types.Scope().Lookup(n).(*types.TypeName)
			if !ok || slices.Contains(names, n) {
				continue
			}
			if it, ok := obj.Type().Underlying().(*types.Interface); ok && it.IsMethodSet() {
				names = append(names, n)
			}
		}
		if p.Dir != "" {
			for _, n := range testInterfaces(p.Dir) {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	slices.Sort(names)
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
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, file := range files {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, spec := range typeSpecs(f) {
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

// similar reports whether a and b differ only in case or by a few edits.
func similar(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	d := editDistance(strings.ToLower(a), strings.ToLower(b))
	return d <= max(1, min(len(a), len(b))/4)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// declaredInTests reports whether one of the names is declared in a
// _test.go file of a directory among patterns, so that the one load
// includes tests only when they are needed. Patterns that are not
// directories are not looked into.
func declaredInTests(dir string, patterns, names []string) bool {
	for _, pat := range patterns {
		if !(pat == "." || pat == ".." || strings.HasPrefix(pat, "./") || strings.HasPrefix(pat, "../") || filepath.IsAbs(pat)) || strings.Contains(pat, "...") {
			continue
		}
		d := pat
		if !filepath.IsAbs(d) && dir != "" {
			d = filepath.Join(dir, d)
		}
		files, _ := filepath.Glob(filepath.Join(d, "*_test.go"))
		for _, file := range files {
			if declares(file, names) {
				return true
			}
		}
	}
	return false
}

// declares reports whether file declares a type with one of the names.
// A file that does not mention any of them is not parsed.
func declares(file string, names []string) bool {
	src, err := os.ReadFile(file)
	if err != nil || !slices.ContainsFunc(names, func(name string) bool { return bytes.Contains(src, []byte(name)) }) {
		return false
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution)
	if err != nil {
		return false
	}
	for _, spec := range typeSpecs(f) {
		if slices.Contains(names, spec.Name.Name) {
			return true
		}
	}
	return false
}
