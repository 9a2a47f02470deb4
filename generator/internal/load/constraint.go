package load

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
)

// Constraint is the build constraint of the files that declare the types
// of t: the operating system and architecture their names limit them to,
// and their //go:build lines, all of them; nil when no file has one. A
// wrapper of the types builds where they exist only under it.
func Constraint(t *Target) constraint.Expr {
	var terms []constraint.Expr
	var files []string
	for _, obj := range t.Objs {
		if file := t.Pkg.Fset.Position(obj.Pos()).Filename; !slices.Contains(files, file) {
			files = append(files, file)
			terms = append(terms, fileConstraint(file)...)
		}
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
		if x := buildExprOf(f); x != nil {
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
