package load

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// loadMode is the smallest mode that gives the target's types and syntax:
// the target is type-checked from source, its dependencies come from
// export data.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedModule

// Load finds the requested types of q. It runs packages.Load once, and a
// second time only in one of these cases:
//   - the pattern is an import path of another module (see fromExport) and
//     that package's export data cannot answer: then from source;
//   - the package has an error other than a type error: then again without
//     blanking the bodies, so that a syntax error in a body reads as the
//     parser words it (the type errors are the same either way, since
//     parseDecls drops the bodies it parses);
//   - the types are not in the package's own files: then with its tests,
//     which declaredInTests could not look into behind an import path.
func Load(q *Query) (*Target, error) {
	tests := declaredInTests(q.Dir, q.Patterns, q.Types)
	if !tests && len(q.Patterns) == 1 && gomod.Foreign(q.Dir, q.Patterns[0]) {
		t, clean := fromExport(q)
		if t != nil {
			return t, nil
		}
		parse := parseSignatures
		if !clean {
			parse = parseDecls
		}
		pkgs, err := loadWith(q, q.Patterns, false, parse)
		if err != nil {
			return nil, err
		}
		return findTypes(q, pkgs)
	}
	return fromSource(q, tests)
}

// Source is Load from source alone, without export data: what Load gives
// for every package but those of another module.
func Source(q *Query) (*Target, error) {
	return fromSource(q, declaredInTests(q.Dir, q.Patterns, q.Types))
}

// fromSource is Load for a package of the main module or the standard
// library: its files parsed with their bodies blanked, and loaded again
// in the cases Load gives.
func fromSource(q *Query, tests bool) (*Target, error) {
	pkgs, err := loadWith(q, q.Patterns, tests, parseSignatures)
	if err != nil {
		return nil, err
	}
	if otherThanTypeErrors(pkgs) {
		if pkgs, err = loadWith(q, q.Patterns, tests, parseDecls); err != nil {
			return nil, err
		}
		return findTypes(q, pkgs)
	}
	t, err := findTypes(q, pkgs)
	if err != nil && !tests && FatalError(q, pkgs) == nil {
		if pkgs, err2 := loadWith(q, q.Patterns, true, parseSignatures); err2 == nil {
			if t2, err2 := findTypes(q, pkgs); err2 == nil {
				return t2, nil
			}
		}
	}
	return t, err
}

// otherThanTypeErrors reports whether one of pkgs has an error that is
// not a type error.
func otherThanTypeErrors(pkgs []*packages.Package) bool {
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Kind != packages.TypeError {
				return true
			}
		}
	}
	return false
}

// Packages loads the packages that patterns match, and their tests with
// tests, for batch mode: their files are parsed whole, and then their
// bodies dropped (see parseDecls).
func Packages(q *Query, patterns []string, tests bool) ([]*packages.Package, error) {
	return loadWith(q, patterns, tests, parseDecls)
}

// loadWith loads patterns, parsing the files of the packages they match
// with parse.
func loadWith(q *Query, patterns []string, tests bool, parse func(*token.FileSet, string, []byte) (*ast.File, error)) ([]*packages.Package, error) {
	pcfg := q.config(loadMode)
	pcfg.Tests, pcfg.ParseFile = tests, parse
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		if gerr := gomod.CommandError(q.Dir, err); gerr != nil {
			return nil, gerr
		}
		return nil, pathmsg.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		// The go command's text, with its paths made short like the others.
		msg := pathmsg.Sprintf("no packages match %s%s", strings.Join(patterns, " "), pathmsg.Text(gomod.ListError(pcfg.Dir, pcfg.BuildFlags, patterns)))
		if hint := gomod.OtherModule(q.Dir, patterns); hint != nil {
			return nil, pathmsg.Errorf("%s; %s", msg, hint)
		}
		return nil, pathmsg.Errorf("%s", msg)
	}
	return pkgs, nil
}

// declaredInTests reports whether one of the names is declared in a
// _test.go file of a directory among patterns, so that the one load
// includes tests only when they are needed. Patterns that are not
// directories are not looked into.
func declaredInTests(dir string, patterns, names []string) bool {
	for _, pat := range patterns {
		if !gomod.DirPattern(pat) || strings.Contains(pat, "...") {
			continue
		}
		if !filepath.IsAbs(pat) && dir != "" {
			pat = filepath.Join(dir, pat)
		}
		for _, file := range gomod.FilesIn(pat, "_test.go") {
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
	return err == nil && declaresType(f, names...)
}
