package generator

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/output"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// runBatch is Run without Types, after cfg.validate: one load of the packages matched by
// cfg.Patterns, a file for every interface marked //breakergen:generate,
// and the removal of the files that batch mode generated before for
// interfaces that are no longer marked. Every error is reported, one line
// each, and then nothing is written or removed.
func runBatch(cfg Config, build string, note noter) error {
	q := &load.Query{Dir: cfg.Dir, Patterns: cfg.Patterns, Tags: cfg.Tags}
	b, err := findBatch(q)
	if err != nil {
		return err
	}
	for _, j := range b.jobs {
		j.req.check = cfg.Check
	}
	results, errs := renderBatch(b.jobs, build)
	errs = append(append(b.errs, errs...), collisions(results)...)
	if len(errs) > 0 {
		return errors.Join(byPosition(errs)...)
	}
	orphans := findOrphans(cfg.Tags, b.dirs, b.main, results)
	if errs := redeclared(results, orphans); len(errs) > 0 {
		return errors.Join(errs...)
	}
	if cfg.Check {
		return checkBatch(results, orphans)
	}
	if err := writeBatch(results, orphans, note); err != nil {
		return err
	}
	if len(results) == 0 && len(orphans) == 0 {
		note("no interface in %s is marked %s: nothing to generate", strings.Join(cfg.Patterns, " "), genfile.Directive)
	}
	return nil
}

// A batch is what batch mode found in the packages it loaded.
type batch struct {
	jobs []*job
	dirs []string        // the directories of the main modules' packages, where orphans are looked for
	main map[string]bool // the main modules' packages, by import path
	errs []error
}

// findBatch loads the packages of q and finds their jobs; and then the
// jobs of the _test.go files of those packages whose tests mention the
// directive, which only they load, and only then.
func findBatch(q *load.Query) (*batch, error) {
	pkgs, err := load.Packages(q, q.Patterns, false)
	if err != nil {
		return nil, err
	}
	b := &batch{main: mainPackages(pkgs)}
	b.jobs, b.dirs, b.errs = findJobs(q, pkgs, false)
	if tests := markedTests(b.dirs); len(tests) > 0 {
		tpkgs, err := load.Packages(q, tests, true)
		if err != nil {
			return nil, err
		}
		tjobs, _, terrs := findJobs(q, tpkgs, true)
		b.jobs, b.errs = append(b.jobs, tjobs...), append(b.errs, terrs...)
	}
	return b, nil
}

// renderBatch renders the file of every job, with the build constraint
// build where the job's interface needs the tags.
func renderBatch(jobs []*job, build string) (results []*result, errs []error) {
	for _, j := range jobs {
		build := build
		if !needsTags(j.t) {
			build = "" // -tags=integration does not constrain a wrapper that builds without it
		}
		r, err := generate(j.req, j.t, build, func(*output.File) string { return batchHeader(j.t.Objs[0].Name(), j.d) })
		if err != nil {
			errs = append(errs, atDirective(j, err))
			continue
		}
		results = append(results, &result{j, r})
	}
	return results, errs
}

// writeBatch writes the files of results, removes the orphans, and notes
// what there is to say.
func writeBatch(results []*result, orphans []orphan, note noter) error {
	for _, r := range results {
		if err := output.Write(r.dest, r.src); err != nil {
			return err
		}
	}
	noted := map[string]bool{} // the same missing requirement, once
	for _, r := range results {
		for _, line := range notes(r.job.t, r.rendered) {
			if !noted[line.String()] {
				noted[line.String()] = true
				note("%s", line)
			}
		}
	}
	for _, o := range orphans {
		if err := os.Remove(o.file); err != nil {
			return pathmsg.Errorf("remove %s: %w", pathmsg.Path(o.file), err)
		}
		note("removed %s: no interface marked %s writes it any more (it was the wrapper of %s)", pathmsg.Path(o.file), genfile.Directive, o.name)
	}
	return nil
}

// checkBatch is -check in batch mode: one line for every file that is
// missing, stale or orphaned.
func checkBatch(results []*result, orphans []orphan) error {
	var errs []error
	for _, r := range results {
		if err := output.CheckFile(r.dest, r.src); err != nil {
			errs = append(errs, err)
		}
	}
	for _, o := range orphans {
		errs = append(errs, &output.StaleError{Err: pathmsg.Errorf("%s is left over: no interface marked %s writes it any more (it was the wrapper of %s); run go generate to remove it", pathmsg.Path(o.file), genfile.Directive, o.name)})
	}
	return errors.Join(errs...)
}

// mainPackages is the set of import paths of the packages of the main
// modules among pkgs.
func mainPackages(pkgs []*packages.Package) map[string]bool {
	paths := map[string]bool{}
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Main {
			paths[p.PkgPath] = true
		}
	}
	return paths
}

// needsTags reports whether the file that declares the interface of t is
// left out of a build without the tags given to -tags.
func needsTags(t *load.Target) bool {
	file := t.Pkg.Fset.Position(t.Objs[0].Pos()).Filename
	ok, err := build.Default.MatchFile(filepath.Dir(file), filepath.Base(file))
	return err != nil || !ok
}

// byPosition sorts errs by the position they start with, file by file and
// line by line; those without one go last, in the order given.
func byPosition(errs []error) []error {
	type key struct {
		file      string
		line, col int
		ok        bool
	}
	keyOf := func(err error) key {
		head, _, _ := strings.Cut(err.Error(), ": ")
		file := pathmsg.File(head)
		if file == "" || file == head {
			return key{}
		}
		var line, col int
		fmt.Sscanf(head[len(file):], ":%d:%d", &line, &col)
		return key{file, line, col, true}
	}
	slices.SortStableFunc(errs, func(a, b error) int {
		ka, kb := keyOf(a), keyOf(b)
		switch {
		case ka.ok != kb.ok:
			if ka.ok {
				return -1
			}
			return 1
		case ka.file != kb.file:
			return strings.Compare(ka.file, kb.file)
		case ka.line != kb.line:
			return ka.line - kb.line
		}
		return ka.col - kb.col
	})
	return errs
}
