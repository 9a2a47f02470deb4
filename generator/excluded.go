package generator

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// excludedHint says why a type that no loaded file declares is missing
// when a file of the package that this build excludes declares it: build
// constraints, a file name for another system, or cgo while CGO_ENABLED=0;
// and how to include it. It returns "" when no excluded file declares it.
func excludedHint(cfg *Config, name string, pkgs []*packages.Package) string {
	for _, p := range pkgs {
		for _, file := range p.IgnoredFiles {
			if filepath.Ext(file) != ".go" {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil || !declaresType(f, name) {
				continue
			}
			return fmt.Sprintf("it is declared in %s, %s", relFile(cfg.Dir, file), excludedWhy(cfg, file, f))
		}
	}
	return ""
}

// declaresType reports whether f declares a type name at package level.
func declaresType(f *ast.File, name string) bool {
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				if s.(*ast.TypeSpec).Name.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// excludedWhy says why the build excludes file, parsed as f, and what
// includes it.
func excludedWhy(cfg *Config, file string, f *ast.File) string {
	ctx := build.Default
	ctx.BuildTags = slices.Clone(cfg.Tags)
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
		stem := strings.TrimSuffix(strings.TrimSuffix(base, ".go"), "_test")
		parts := strings.Split(stem, "_")
		last := parts[len(parts)-1]
		var tries [][2]string // GOOS, GOARCH
		if len(parts) > 2 {
			tries = append(tries, [2]string{parts[len(parts)-2], last})
		}
		tries = append(tries, [2]string{last, ctx.GOARCH}, [2]string{ctx.GOOS, last})
		for _, try := range tries {
			c := byName
			c.GOOS, c.GOARCH = try[0], try[1]
			if ok, err := c.MatchFile(dir, base); err != nil || !ok {
				continue
			}
			var env []string
			if try[0] != ctx.GOOS {
				env = append(env, "GOOS="+try[0])
			}
			if try[1] != ctx.GOARCH {
				env = append(env, "GOARCH="+try[1])
			}
			suffix := "_" + strings.Join(parts[len(parts)-len(env):], "_") + ".go"
			return fmt.Sprintf("whose name limits it to %s, not %s/%s; run breakergen with %s and an -output name ending in %s, so that the wrapper builds only there too", strings.Join(env, " "), ctx.GOOS, ctx.GOARCH, strings.Join(env, " "), suffix)
		}
		return "whose name excludes it from this build"
	}
	expr := buildExprOf(f)
	if expr == nil {
		return "which this build excludes"
	}
	line := "//go:build " + expr.String()
	// The fewest tags, among those the line names, that include it.
	var missing []string
	seen := map[string]bool{}
	constraint.Expr.Eval(expr, func(tag string) bool {
		if !seen[tag] && !slices.Contains(ctx.BuildTags, tag) {
			seen[tag] = true
			missing = append(missing, tag)
		}
		return true
	})
	for size := 1; size <= len(missing) && size <= 3; size++ {
		for _, set := range subsets(missing, size) {
			c := ctx
			c.BuildTags = append(slices.Clone(ctx.BuildTags), set...)
			if matches(c) {
				return fmt.Sprintf("which this build excludes (%s); run breakergen with -tags=%s", line, strings.Join(c.BuildTags, ","))
			}
		}
	}
	return fmt.Sprintf("which this build excludes (%s); give the tags it needs with -tags", line)
}

// buildExprOf is the expression of f's //go:build line, or nil.
func buildExprOf(f *ast.File) constraint.Expr {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if constraint.IsGoBuild(c.Text) {
				if expr, err := constraint.Parse(c.Text); err == nil {
					return expr
				}
			}
		}
	}
	return nil
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
