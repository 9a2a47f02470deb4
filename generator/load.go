package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// A Query is what to load: the packages that Patterns match in Dir, with
// the build tags Tags, and the types named Types among them.
type Query struct {
	Dir      string   // absolute
	Patterns []string // at least one
	Tags     []string
	Types    []string // the types Load finds; none for Packages
}

// loadMode is the smallest mode that gives the target's types and syntax:
// the target is type-checked from source, its dependencies come from
// export data.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedModule

// load runs packages.Load once and finds the requested types.
func load(q *Query) (*target, error) {
	patterns := q.Patterns
	tests := declaredInTests(q.Dir, patterns, q.Types)
	if !tests {
		if t := loadExport(q, patterns); t != nil {
			return t, nil
		}
	}
	pkgs, err := loadSignatures(q, patterns, tests)
	if err != nil {
		return nil, err
	}
	t, err := findTypes(q, pkgs)
	if err != nil && !tests && fatalError(q, pkgs) == nil {
		// Not in the package's own files: perhaps in its tests, behind a
		// pattern declaredInTests could not look into.
		if pkgs2, err2 := loadSignatures(q, patterns, true); err2 == nil {
			if t2, err2 := findTypes(q, pkgs2); err2 == nil {
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
func loadSignatures(q *Query, patterns []string, tests bool) ([]*packages.Package, error) {
	pkgs, err := loadWith(q, patterns, tests, parseSignatures)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Kind != packages.TypeError {
				return loadPackages(q, patterns, tests)
			}
		}
	}
	return pkgs, nil
}

func loadPackages(q *Query, patterns []string, tests bool) ([]*packages.Package, error) {
	return loadWith(q, patterns, tests, parseDecls)
}

// loadWith loads patterns, parsing the files of the packages they match
// with parse.
func loadWith(q *Query, patterns []string, tests bool, parse func(*token.FileSet, string, []byte) (*ast.File, error)) ([]*packages.Package, error) {
	pcfg := &packages.Config{
		Mode:      loadMode,
		Dir:       q.Dir,
		Tests:     tests,
		ParseFile: parse,
	}
	if len(q.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(q.Tags, ",")}
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		if gerr := goCommandError(q.Dir, err); gerr != nil {
			return nil, gerr
		}
		return nil, pathmsg.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		msg := fmt.Sprintf("no packages match %s%s", strings.Join(patterns, " "), goListError(pcfg, patterns))
		if hint := otherModule(q.Dir, patterns); hint != nil {
			return nil, pathmsg.Errorf("%s; %s", msg, hint)
		}
		return nil, errors.New(msg)
	}
	return pkgs, nil
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
		files := filesIn(d, "_test.go")
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
