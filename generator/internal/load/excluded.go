package load

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/buildcons"
	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// excludedHint says why a type that no loaded file declares is missing
// when a file of the package that this build excludes declares it: build
// constraints, a file name for another system, or cgo while CGO_ENABLED=0;
// and how to include it. It returns nil when no excluded file declares it.
func excludedHint(q *Query, name string, pkgs []*packages.Package) *pathmsg.Msg {
	for _, p := range pkgs {
		for _, file := range p.IgnoredFiles {
			if filepath.Ext(file) != ".go" {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil || !declaresType(f, name) {
				continue
			}
			return pathmsg.Sprintf("it is declared in %s, %s", pathmsg.Path(file), excludedWhy(q, file, f))
		}
	}
	return nil
}

// excludedWhy says why the build excludes file, parsed as f, and what
// includes it.
func excludedWhy(q *Query, file string, f *ast.File) string {
	ctx := build.Default
	ctx.BuildTags = slices.Clone(q.Tags)
	dir, base := filepath.Split(file)
	matches := func(c build.Context) bool {
		ok, err := c.MatchFile(dir, base)
		return err == nil && ok
	}
	usesCgo := slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == `"C"` })
	if usesCgo && !ctx.CgoEnabled {
		c := ctx
		c.CgoEnabled = true
		if matches(c) {
			return "which uses cgo, and cgo is off (CGO_ENABLED=0); run breakergen with CGO_ENABLED=1"
		}
	}
	// A file name for another operating system or architecture: the
	// name alone, without the file's constraints, does not match.
	byName := ctx
	byName.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("package p\n")), nil }
	if ok, err := byName.MatchFile(dir, base); err == nil && !ok {
		return nameWhy(ctx, base)
	}
	return constraintWhy(ctx, f, matches)
}

// nameWhy says how the name base limits a file to systems other than
// ctx's, and how to include it.
func nameWhy(ctx build.Context, base string) string {
	goos, goarch := buildcons.NameLimits(base)
	var limits, env []string
	if goos != "" {
		limits = append(limits, "GOOS="+goos)
		if goos != ctx.GOOS {
			env = append(env, "GOOS="+goos)
		}
	}
	if goarch != "" {
		limits = append(limits, "GOARCH="+goarch)
		if goarch != ctx.GOARCH {
			env = append(env, "GOARCH="+goarch)
		}
	}
	if len(env) == 0 {
		return "whose name excludes it from this build"
	}
	return fmt.Sprintf("whose name limits it to %s, not %s/%s; run breakergen with %s, and the wrapper's //go:build line limits it the same way", strings.Join(limits, " "), ctx.GOOS, ctx.GOARCH, strings.Join(env, " "))
}

// constraintWhy says how the //go:build line of f excludes it from ctx's
// build, and the fewest tags among those it names that include it, which
// matches tells.
func constraintWhy(ctx build.Context, f *ast.File, matches func(build.Context) bool) string {
	expr := buildcons.Line(f)
	if expr == nil {
		return "which this build excludes"
	}
	line := "//go:build " + expr.String()
	var missing []string
	expr.Eval(func(tag string) bool {
		if !slices.Contains(missing, tag) && !slices.Contains(ctx.BuildTags, tag) {
			missing = append(missing, tag)
		}
		return true
	})
	includes := func(tags []string) []string {
		for size := 1; size <= len(tags) && size <= 3; size++ {
			for _, set := range subsets(tags, size) {
				c := ctx
				c.BuildTags = append(slices.Clone(ctx.BuildTags), set...)
				if matches(c) {
					return c.BuildTags
				}
			}
		}
		return nil
	}
	if tags := includes(slices.DeleteFunc(slices.Clone(missing), func(tag string) bool { return tag == "ignore" })); tags != nil {
		return fmt.Sprintf("which this build excludes (%s); run breakergen with -tags=%s", line, strings.Join(tags, ","))
	}
	if slices.Contains(missing, "ignore") && includes(missing) != nil {
		// The tag by convention no build sets: the file is a program
		// run by go run, or kept out of the package on purpose.
		return fmt.Sprintf("which %s excludes from every build, so its interfaces cannot be wrapped; move the interface to a file that builds", line)
	}
	return fmt.Sprintf("which this build excludes (%s); give the tags it needs with -tags", line)
}

// subsets lists the subsets of list with n elements, in order.
func subsets(list []string, n int) [][]string {
	if n == 0 {
		return [][]string{nil}
	}
	var out [][]string
	for i := range list {
		for _, rest := range subsets(list[i+1:], n-1) {
			out = append(out, append([]string{list[i]}, rest...))
		}
	}
	return out
}
