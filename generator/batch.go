package generator

import (
	"errors"
	"go/build"
	"os"
	"path/filepath"
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
func runBatch(cfg Config, build string) error {
	q := &load.Query{Dir: cfg.Dir, Patterns: cfg.Patterns, Tags: cfg.Tags}
	pkgs, err := load.Packages(q, cfg.Patterns, false)
	if err != nil {
		return err
	}
	jobs, dirs, errs := findJobs(q, pkgs, false)
	if tests := markedTests(dirs); len(tests) > 0 {
		// Interfaces of _test.go files need the packages' tests, which
		// only the packages that mark one load, and only then.
		tpkgs, err := load.Packages(q, tests, true)
		if err != nil {
			return err
		}
		tjobs, _, terrs := findJobs(q, tpkgs, true)
		jobs, errs = append(jobs, tjobs...), append(errs, terrs...)
	}
	var results []*result
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
	errs = append(errs, collisions(results)...)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	orphans := findOrphans(cfg.Tags, dirs, mainPackages(pkgs), results)
	if errs := redeclared(results, orphans); len(errs) > 0 {
		return errors.Join(errs...)
	}
	if cfg.Check {
		return checkBatch(results, orphans)
	}
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
				notef(&cfg, "%s", line)
			}
		}
	}
	for _, o := range orphans {
		if err := os.Remove(o.file); err != nil {
			return pathmsg.Errorf("remove %s: %w", pathmsg.Path(o.file), err)
		}
		notef(&cfg, "removed %s: no interface marked %s writes it any more (it was the wrapper of %s)", pathmsg.Path(o.file), genfile.Directive, o.name)
	}
	if len(results) == 0 && len(orphans) == 0 {
		notef(&cfg, "no interface in %s is marked %s: nothing to generate", strings.Join(cfg.Patterns, " "), genfile.Directive)
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
