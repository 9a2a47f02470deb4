package generator

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
}

// load runs packages.Load once and finds the requested types.
func load(cfg *Config) (*target, error) {
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	tests := declaredInTests(cfg.Dir, patterns, cfg.Types)
	pkgs, err := loadPackages(cfg, patterns, tests)
	if err != nil {
		return nil, err
	}
	t, err := findTypes(cfg, pkgs)
	if err != nil && !tests && !loadFailed(pkgs) {
		// Not in the package's own files: perhaps in its tests, behind a
		// pattern declaredInTests could not look into.
		if pkgs2, err2 := loadPackages(cfg, patterns, true); err2 == nil {
			if t2, err2 := findTypes(cfg, pkgs2); err2 == nil {
				return t2, nil
			}
		}
	}
	return t, err
}

func loadPackages(cfg *Config, patterns []string, tests bool) ([]*packages.Package, error) {
	pcfg := &packages.Config{
		Mode:  loadMode,
		Dir:   cfg.Dir,
		Tests: tests,
	}
	if len(cfg.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages match %s%s", strings.Join(patterns, " "), goListError(pcfg, patterns))
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

func loadFailed(pkgs []*packages.Package) bool {
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return true
		}
	}
	return false
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
		if err := loadError(cfg, pkgs); err != nil {
			return nil, err
		}
		return nil, notFound(first, candidates)
	}
	if err := loadError(cfg, []*packages.Package{found}); err != nil {
		return nil, err
	}
	t := &target{pkg: found}
	for _, name := range cfg.Types {
		obj, ok := found.Types.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			return nil, notFound(name, []*packages.Package{found})
		}
		t.objs = append(t.objs, obj)
	}
	pos := found.Fset.Position(t.objs[0].Pos())
	t.dir = filepath.Dir(pos.Filename)
	t.inTest = strings.HasSuffix(pos.Filename, "_test.go")
	t.testPkg = strings.HasSuffix(found.Name, "_test") && t.inTest
	return t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound says that a type is missing, and names close ones.
func notFound(name string, pkgs []*packages.Package) error {
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
	if len(close) > 0 {
		slices.Sort(close)
		msg += "; did you mean " + strings.Join(close, " or ") + "?"
	}
	return fmt.Errorf("%s", msg)
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

// loadError is the first error of the packages that does not come from a
// file written by breakergen, with "(and N more errors)". Errors in a stale
// generated file must not stop its regeneration.
func loadError(cfg *Config, pkgs []*packages.Package) error {
	var errs []packages.Error
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if file := errorFile(e.Pos); file != "" && isGeneratedFile(file) {
				continue
			}
			if e.Pos == "" && onlyInGenerated(cfg.Dir, e.Msg) {
				continue
			}
			for _, e := range splitCompilerOutput(cfg.Dir, e) {
				if key := e.Pos + e.Msg; !seen[key] {
					seen[key] = true
					errs = append(errs, e)
				}
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	// Errors with a position first. When there are any, the compiler output
	// that go list reports for building export data repeats them.
	var positioned, other []packages.Error
	for _, e := range errs {
		if e.Pos != "" {
			positioned = append(positioned, e)
		} else {
			other = append(other, e)
		}
	}
	if len(positioned) > 0 {
		other = slices.DeleteFunc(other, func(e packages.Error) bool { return strings.HasPrefix(e.Msg, "# ") })
	}
	errs = append(positioned, other...)
	msg := errs[0].Msg
	if errs[0].Pos != "" {
		msg = relPos(cfg.Dir, errs[0].Pos) + ": " + msg
	}
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return fmt.Errorf("%s", strings.ReplaceAll(msg, "\n", " "))
}

// compilerLine is a line of compiler output that names a position.
var compilerLine = regexp.MustCompile(`^(\S+\.go):\d+(:\d+)?: `)

// onlyInGenerated reports whether msg is compiler output (as go list
// reports when building export data fails) whose every error is in a file
// written by breakergen.
func onlyInGenerated(dir, msg string) bool {
	n := 0
	for line := range strings.SplitSeq(msg, "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ") {
			continue // the continuation of an error: have/want, other declaration
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "# ") || line == "too many errors" {
			continue
		}
		m := compilerLine.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		file := m[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(absDir(dir), file)
		}
		if !isGeneratedFile(file) {
			return false
		}
		n++
	}
	return n > 0
}

// splitCompilerOutput turns compiler output that go list reports as one
// error ("# pkg" and a line per error) into one error per line, with its
// position.
func splitCompilerOutput(dir string, e packages.Error) []packages.Error {
	if e.Pos != "" || !strings.HasPrefix(e.Msg, "# ") {
		return []packages.Error{e}
	}
	var out []packages.Error
	for line := range strings.SplitSeq(e.Msg, "\n") {
		m := compilerLine.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		pos := line[:m[1]-2]
		if file := line[m[2]:m[3]]; !filepath.IsAbs(file) {
			pos = filepath.Join(absDir(dir), file) + line[m[3]:m[1]-2]
		}
		out = append(out, packages.Error{Pos: pos, Msg: line[m[1]:], Kind: e.Kind})
	}
	if len(out) == 0 {
		return []packages.Error{e}
	}
	return out
}

// absDir is dir as an absolute path; the working directory when empty.
func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// errorFile is the file name of a "file:line:col" position.
func errorFile(pos string) string {
	file := pos
	for range 2 {
		if i := strings.LastIndexByte(file, ':'); i > 0 && isDigits(file[i+1:]) {
			file = file[:i]
		}
	}
	if file == "" || file == "-" {
		return ""
	}
	return file
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// relPos makes the file name of a position relative to dir when it is
// inside it.
func relPos(dir, pos string) string {
	file := errorFile(pos)
	if file == "" || !filepath.IsAbs(file) {
		return pos
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return pos
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return pos
	}
	return rel + pos[len(file):]
}

var (
	generatedHeader  = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)
	breakergenHeader = regexp.MustCompile(`^// Code generated by "breakergen[ "].* DO NOT EDIT\.$`)
)

// headerLines is how many lines of a file are searched for a header.
const headerLines = 10

// fileHeader reports whether the first lines of file, before its package
// clause, hold a line matching re.
func fileHeader(file string, re *regexp.Regexp) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	return hasHeader(f, re)
}

func hasHeader(r interface{ Read([]byte) (int, error) }, re *regexp.Regexp) bool {
	sc := bufio.NewScanner(r)
	for i := 0; i < headerLines && sc.Scan(); i++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if re.MatchString(line) {
			return true
		}
		if strings.HasPrefix(line, "package ") {
			return false
		}
	}
	return false
}

// isGeneratedFile reports whether file was written by breakergen.
func isGeneratedFile(file string) bool {
	return fileHeader(file, breakergenHeader)
}

func isGeneratedPos(fset *token.FileSet, pos token.Pos) bool {
	return pos.IsValid() && isGeneratedFile(fset.Position(pos).Filename)
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
func declares(file string, names []string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return false
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			if slices.Contains(names, s.(*ast.TypeSpec).Name.Name) {
				return true
			}
		}
	}
	return false
}

// A Syntax is what the model takes from the source of the target package:
// the skip directives and the order of interface elements. The zero value
// (or nil) knows no source.
type Syntax struct {
	skipped map[token.Pos]bool               // method names marked //breakergen:skip
	ifaces  map[token.Pos]*ast.InterfaceType // interfaces by the names of their methods
}

// newSyntax indexes the interface types of files.
func newSyntax(files []*ast.File) *Syntax {
	s := &Syntax{skipped: map[token.Pos]bool{}, ifaces: map[token.Pos]*ast.InterfaceType{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			it, ok := n.(*ast.InterfaceType)
			if !ok {
				return true
			}
			for _, field := range it.Methods.List {
				if len(field.Names) == 0 {
					continue
				}
				s.ifaces[field.Names[0].Pos()] = it
				if hasSkipDirective(field.Doc) {
					s.skipped[field.Names[0].Pos()] = true
				}
			}
			return true
		})
	}
	return s
}

// skip reports whether the method declared at pos carries the directive.
func (s *Syntax) skip(pos token.Pos) bool {
	return s != nil && s.skipped[pos]
}

// source returns the syntax of it, or nil if it is not in the source or has
// no methods of its own to find it by.
func (s *Syntax) source(it *types.Interface) *ast.InterfaceType {
	if s == nil || it.NumExplicitMethods() == 0 {
		return nil
	}
	return s.ifaces[it.ExplicitMethod(0).Pos()]
}
