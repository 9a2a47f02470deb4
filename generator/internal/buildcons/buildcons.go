// Package buildcons reads the build constraints of Go files, the systems
// their names limit them to and their //go:build lines, as the go command
// reads them, and combines them.
//
// It imports only the standard library; load, output and the generator
// import it.
package buildcons

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// Files is the build constraint of files: the operating system and
// architecture their names limit them to, and their //go:build lines, all
// of them; nil when no file has one. Code that uses what the files declare
// builds where they exist only under it.
func Files(files ...string) constraint.Expr {
	var terms []constraint.Expr
	for _, file := range files {
		terms = append(terms, fileConstraint(file)...)
	}
	return And(terms...)
}

// fileConstraint lists the constraints of file: the GOOS and GOARCH of
// its name, and its //go:build line.
func fileConstraint(file string) []constraint.Expr {
	var terms []constraint.Expr
	goos, goarch := NameLimits(filepath.Base(file))
	for _, tag := range []string{goos, goarch} {
		if tag != "" {
			terms = append(terms, &constraint.TagExpr{Tag: tag})
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.PackageClauseOnly|parser.ParseComments)
	if err == nil {
		if x := Line(f); x != nil {
			terms = append(terms, x)
		}
	}
	return terms
}

// And is the conjunction of terms, each once, in order; nil for none. A
// term that is itself a conjunction counts as its parts.
func And(terms ...constraint.Expr) constraint.Expr {
	var and constraint.Expr
	var seen []string
	var add func(constraint.Expr)
	add = func(x constraint.Expr) {
		if a, ok := x.(*constraint.AndExpr); ok {
			add(a.X)
			add(a.Y)
		} else if s := x.String(); !slices.Contains(seen, s) {
			seen = append(seen, s)
			if and == nil {
				and = x
			} else {
				and = &constraint.AndExpr{X: and, Y: x}
			}
		}
	}
	for _, x := range terms {
		if x != nil {
			add(x)
		}
	}
	return and
}

// NameLimits is the operating system and the architecture that the name
// of a Go file limits it to, as the go command reads it: *_GOOS.go,
// *_GOARCH.go or *_GOOS_GOARCH.go, before an optional _test; "" for
// neither.
func NameLimits(base string) (goos, goarch string) {
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ".go"), "_test")
	i := strings.IndexByte(stem, '_')
	if i < 0 {
		return "", "" // the go command ignores everything before the first _
	}
	parts := strings.Split(stem[i:], "_")
	n := len(parts)
	switch last := parts[n-1]; {
	case n >= 2 && slices.Contains(knownOS, parts[n-2]) && slices.Contains(knownArch, last):
		return parts[n-2], last
	case slices.Contains(knownOS, last):
		return last, ""
	case slices.Contains(knownArch, last):
		return "", last
	}
	return "", ""
}

// NameSuffix is the file name suffix, without _ and .go, for goos and
// goarch, either of which may be "".
func NameSuffix(goos, goarch string) string {
	if goos == "" || goarch == "" {
		return goos + goarch
	}
	return goos + "_" + goarch
}

// knownOS and knownArch are the GOOS and GOARCH values that the go
// command reads in file names, past, present and future, as its
// internal/syslist lists them.
var (
	knownOS = strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl
		netbsd openbsd plan9 solaris wasip1 windows zos`)
	knownArch = strings.Fields(`386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle
		mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x
		sparc sparc64 wasm`)
)

// Line is the expression of f's //go:build line, or nil.
func Line(f *ast.File) constraint.Expr {
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
