package buildcons

import (
	"fmt"
	"go/ast"
	"go/build"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// NameMatches reports whether the name of file alone, without its
// contents, lets ctx build it.
func NameMatches(ctx build.Context, file string) bool {
	ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("package p\n")), nil }
	ok, err := ctx.MatchFile(filepath.Split(file))
	return err != nil || ok
}

// Excluded says why the default build with tags excludes file, parsed as
// f (its imports and comments), and what includes it: cgo while
// CGO_ENABLED=0, a file name for another system, or a //go:build line. It
// is the rest of a sentence that names the file: "which ...".
func Excluded(file string, f *ast.File, tags []string) string {
	ctx := build.Default
	ctx.BuildTags = slices.Clone(tags)
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
	if !NameMatches(ctx, file) {
		return nameWhy(ctx, base)
	}
	return constraintWhy(ctx, f, matches)
}

// nameWhy says how the name base limits a file to systems other than
// ctx's, and how to include it.
func nameWhy(ctx build.Context, base string) string {
	goos, goarch := NameLimits(base)
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
	expr := Line(f)
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
