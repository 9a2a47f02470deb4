package generator

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/output"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// A job is one interface that batch mode wraps: its own configuration and
// where its //breakergen:generate line is.
type job struct {
	req *request
	t   *load.Target
	d   *directive
	pos pathmsg.Pos // of the directive, for messages
}

// findJobs lists the interfaces marked //breakergen:generate in the
// packages of the main modules among pkgs, in the order of their packages'
// import paths and their positions, and the directories of those packages,
// where orphans are looked for. With tests it looks only at the _test.go
// files of the test variants of packages. A package that did not load is
// an error only if its files mention the directive, or if it has no files:
// a broken package that wraps nothing does not stop the others.
func findJobs(q *load.Query, pkgs []*packages.Package, tests bool) (jobs []*job, dirs []string, errs []error) {
	pkgs = slices.Clone(pkgs)
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	for _, p := range pkgs {
		if tests != strings.Contains(p.ID, " [") {
			continue // the package itself, loaded before; or, without tests, the test main
		}
		own := p.Module != nil && p.Module.Main // else another module's: not ours to write in
		if own && p.Dir != "" {
			// A directory of only _test.go files too: its tests may mark
			// interfaces.
			dirs = append(dirs, p.Dir)
		}
		if len(p.GoFiles) == 0 || p.Types == nil {
			if err := load.FatalError(q, []*packages.Package{p}); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if !own {
			continue
		}
		if err := load.FatalError(q, []*packages.Package{p}); err != nil {
			if mentionsDirective(p.GoFiles) {
				errs = append(errs, err)
			}
			continue
		}
		for _, f := range p.Syntax {
			if tests == strings.HasSuffix(p.Fset.Position(f.Pos()).Filename, "_test.go") {
				fjobs, ferrs := fileJobs(q, p, f)
				jobs, errs = append(jobs, fjobs...), append(errs, ferrs...)
			}
		}
	}
	return jobs, dirs, errs
}

// fileJobs lists the jobs of the interfaces that file f of package p
// marks, and the errors of its directives: malformed, misspelled, or in
// no type's doc comment.
func fileJobs(q *load.Query, p *packages.Package, f *ast.File) (jobs []*job, errs []error) {
	stray := map[token.Pos]bool{} // directives in no type's doc comment
	for _, group := range f.Comments {
		for _, c := range group.List {
			if isDirective(c.Text) {
				stray[c.Pos()] = true
			} else if hint := misspelled(c.Text); hint != "" {
				errs = append(errs, pathmsg.Errorf("%s: %s", pathmsg.Pos(p.Fset.Position(c.Pos()).String()), hint))
			}
		}
	}
	for gd, spec := range load.TypeSpecs(f) {
		for _, c := range commentsOf(typeDoc(gd, spec)) {
			delete(stray, c.Pos())
		}
		j, err := newJob(q, p, gd, spec)
		switch {
		case err != nil:
			errs = append(errs, err)
		case j != nil:
			jobs = append(jobs, j)
		}
	}
	for _, pos := range slices.Sorted(maps.Keys(stray)) {
		errs = append(errs, pathmsg.Errorf("%s: %s is not in the doc comment of a type, so it marks nothing; put it in the comment right above the interface's declaration", pathmsg.Pos(p.Fset.Position(pos).String()), genfile.Directive))
	}
	return jobs, errs
}

// newJob is the job of a type declaration marked //breakergen:generate,
// or nil if it is not marked.
func newJob(q *load.Query, p *packages.Package, gd *ast.GenDecl, spec *ast.TypeSpec) (*job, error) {
	line, second := findDirective(typeDoc(gd, spec))
	if second != nil {
		return nil, pathmsg.Errorf("%s: a second %s line; give the interface one", pathmsg.Pos(p.Fset.Position(second.Pos()).String()), genfile.Directive)
	}
	if line == nil {
		return nil, nil
	}
	pos := pathmsg.Pos(p.Fset.Position(line.Pos()).String())
	d, err := parseDirective(line.Text, spec.Name.Name)
	if err != nil {
		return nil, pathmsg.Errorf("%s: %w", pos, err)
	}
	obj, ok := p.Types.Scope().Lookup(spec.Name.Name).(*types.TypeName)
	if !ok {
		return nil, pathmsg.Errorf("%s: %s is not a package-level type", pos, spec.Name.Name)
	}
	file := p.Fset.Position(obj.Pos()).Filename
	t := &load.Target{Pkg: p, Objs: []*types.TypeName{obj}, Dir: filepath.Dir(file), Batch: true}
	t.InTest = strings.HasSuffix(file, "_test.go")
	t.TestPkg = t.InTest && strings.HasSuffix(p.Name, "_test")
	req := &request{dir: q.Dir, tags: q.Tags, types: []string{obj.Name()}, perMethod: d.perMethod, resultErr: d.resultErr, skip: d.skip}
	if d.output != "" {
		// One spelling for one file, as the header records it:
		// -output=../a/w.go in package a is -output=w.go.
		if rel, err := filepath.Rel(t.Dir, filepath.Join(t.Dir, filepath.FromSlash(d.output))); err == nil {
			d.output = filepath.ToSlash(rel)
		}
	}
	if d.output == output.DefaultName(req.outRequest(), t) {
		d.output = ""
	}
	if d.output != "" {
		req.output = shortPath(q.Dir, filepath.Join(t.Dir, filepath.FromSlash(d.output)))
	}
	if err := load.TargetError(q, t); err != nil {
		return nil, err
	}
	return &job{req: req, t: t, d: d, pos: pos}, nil
}

// markedTests lists those of dirs that have a _test.go file that mentions
// the directive.
func markedTests(dirs []string) []string {
	var marked []string
	for _, dir := range sortedSet(dirs) {
		files := gomod.FilesIn(dir, "_test.go")
		if mentionsDirective(files) {
			marked = append(marked, dir)
		}
	}
	return marked
}

// mentionsDirective reports whether one of files holds the text of the
// directive.
func mentionsDirective(files []string) bool {
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil && bytes.Contains(src, []byte(genfile.Directive)) {
			return true
		}
	}
	return false
}

// atDirective gives an error about a job the position of its directive,
// unless it has one in the interface's file already.
func atDirective(j *job, err error) error {
	file := j.t.Pkg.Fset.Position(j.t.Objs[0].Pos()).Filename
	if strings.HasPrefix(err.Error(), file+":") {
		return err
	}
	return pathmsg.Errorf("%s: %w", j.pos, err)
}
