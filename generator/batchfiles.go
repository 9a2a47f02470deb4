package generator

import (
	"bytes"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/breakergen/breakergen/generator/internal/output"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// collisions reports the files that two interfaces would write, compared
// without case, as a case-insensitive file system does.
func collisions(results []*result) []error {
	var errs []error
	first := map[string]*result{}
	for _, r := range results {
		key := strings.ToLower(r.dest)
		prev, ok := first[key]
		if !ok {
			first[key] = r
			continue
		}
		errs = append(errs, pathmsg.Errorf("%s: %s and %s (%s) both write %s; give one of them another -output on its %s line",
			r.job.pos, r.job.t.Objs[0].Name(), prev.job.t.Objs[0].Name(), prev.job.pos, pathmsg.Path(r.dest), genfile.Directive))
	}
	return errs
}

// redeclared reports the generated files, other than those this run
// writes or removes, that declare a wrapper's names in its package: the
// file of a -type directive left behind when its interface was marked
// with another -output, which would make the package declare them twice.
func redeclared(results []*result, orphans []orphan) []error {
	skip := map[string]bool{}
	for _, r := range results {
		skip[r.dest], skip[r.out.Path] = true, true
	}
	for _, o := range orphans {
		skip[o.file] = true
	}
	var errs []error
	for _, r := range results {
		name := r.job.t.Objs[0].Name()
		names := []string{model.WrapperName(name), model.CtorName(name)}
		test := strings.HasSuffix(r.out.Path, "_test.go")
		files := gomod.FilesIn(filepath.Dir(r.out.Path), ".go")
		for _, file := range files {
			if skip[file] || strings.HasSuffix(file, "_test.go") != test || !genfile.IsGenerated(file) {
				continue
			}
			if got := declaresAny(file, names); got != "" {
				errs = append(errs, pathmsg.Errorf("%s: %s already declares %s, and batch mode now writes %s for %s; remove %s (and the //go:generate line that made it)",
					r.job.pos, pathmsg.Path(file), got, pathmsg.Path(r.dest), name, pathmsg.Path(file)))
			}
		}
	}
	return errs
}

// declaresAny returns the first of names that file declares at package
// level, or "".
func declaresAny(file string, names []string) string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	for _, id := range output.TopLevelNames(f) {
		if slices.Contains(names, id.Name) {
			return id.Name
		}
	}
	return ""
}

// An orphan is a file that batch mode generated for an interface that no
// longer asks for it.
type orphan struct {
	file string
	name string // the interface its header names
}

// findOrphans lists the files in dirs whose header says batch mode wrote
// them and that none of results writes. Files of other generators, of
// breakergen -type and without a header are not orphans; nor are the files
// this run cannot judge: one that the run's build excludes (by its
// //go:build line or its name: it wraps an interface of another
// configuration, such as -tags=integration or GOOS=windows), and one that
// wraps an interface of a package the patterns did not match (loaded holds
// the import paths of those they did).
func findOrphans(tags []string, dirs []string, loaded map[string]bool, results []*result) []orphan {
	written := map[string]bool{}
	for _, r := range results {
		written[r.out.Path] = true
	}
	ctx := build.Default
	ctx.BuildTags = tags
	var orphans []orphan
	for _, dir := range sortedSet(dirs) {
		files := gomod.FilesIn(dir, ".go")
		for _, file := range files {
			if written[file] {
				continue
			}
			name := batchOf(file)
			if name == "" {
				continue
			}
			if ok, err := ctx.MatchFile(dir, filepath.Base(file)); err != nil || !ok {
				continue
			}
			if pkg := interfacePkg(file, name); pkg != "" && !loaded[pkg] {
				continue
			}
			orphans = append(orphans, orphan{file, name})
		}
	}
	return orphans
}

// interfacePkg is the import path of the package of the interface name
// that file wraps, when the file qualifies it with an import; "" when it
// is the file's own package's, or file does not parse.
func interfacePkg(file, name string) string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	imports := output.FileImports(f)
	pkg := ""
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == name && pkg == "" {
			if x, ok := sel.X.(*ast.Ident); ok {
				pkg = imports[x.Name]
			}
		}
		return pkg == ""
	})
	return pkg
}

// batchOf is the interface whose wrapper file holds, if batch mode
// generated it, or "".
func batchOf(file string) string {
	src, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	line, _, _ := bytes.Cut(src, []byte("\n"))
	if m := batchHeaderRE.FindSubmatch(bytes.TrimSuffix(line, []byte("\r"))); m != nil {
		return string(m[1])
	}
	return ""
}

// A result is one file that batch mode generates.
type result struct {
	job *job
	*rendered
}
