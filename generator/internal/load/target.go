package load

import (
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/typewalk"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// A Target is the package that declares the requested interfaces.
type Target struct {
	Pkg        *packages.Package
	Objs       []*types.TypeName // one per requested type, in order
	InTest     bool              // declared in a _test.go file
	Dir        string            // the directory of the package's files
	TestPkg    bool              // an external test package (name_test)
	Batch      bool              // found by batch mode, which wraps interfaces of the main modules only
	FromExport bool              // loaded from export data (see Load)
}

// findTypes picks the package that declares the requested types. Of a
// package and its test variant, which both declare the types of the
// package's own files, it prefers the package.
func findTypes(q *Query, pkgs []*packages.Package) (*Target, error) {
	candidates := candidatesOf(pkgs)
	found, err := declaring(q.Types, candidates)
	if err != nil {
		return nil, err
	}
	if found == nil {
		if err := FatalError(q, pkgs); err != nil {
			return nil, err
		}
		return nil, notFound(q, q.Types[0], candidates)
	}
	t := &Target{Pkg: found}
	for _, name := range q.Types {
		obj, ok := found.Types.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			return nil, notFound(q, name, []*packages.Package{found})
		}
		t.Objs = append(t.Objs, obj)
	}
	if err := TargetError(q, t); err != nil {
		return nil, err
	}
	t.Dir = filepath.Dir(found.Fset.Position(t.Objs[0].Pos()).Filename)
	// One type of a _test.go file puts the wrappers in one too.
	t.InTest = slices.ContainsFunc(t.Objs, func(obj *types.TypeName) bool {
		return strings.HasSuffix(found.Fset.Position(obj.Pos()).Filename, "_test.go")
	})
	t.TestPkg = strings.HasSuffix(found.Name, "_test") && t.InTest
	return t, nil
}

// candidatesOf are the packages of pkgs that may declare the types: plain
// packages before test variants, so a type of a non-test file resolves
// to the package itself.
func candidatesOf(pkgs []*packages.Package) []*packages.Package {
	var plain, variants []*packages.Package
	for _, p := range pkgs {
		switch {
		case strings.HasSuffix(p.ID, ".test") || p.Types == nil:
			// the generated test main
		case strings.Contains(p.ID, " ["):
			variants = append(variants, p)
		default:
			plain = append(plain, p)
		}
	}
	return append(plain, variants...)
}

// declaring is the first of candidates that declares the first of names
// outside a generated file, or nil; an error if two packages do. Of a
// package and its test variant, it is the variant if only that declares
// all of names: the types of a package's _test.go files are in its test
// variant only.
func declaring(names []string, candidates []*packages.Package) (*packages.Package, error) {
	declaresAll := func(p *packages.Package) bool {
		return !slices.ContainsFunc(names, func(name string) bool {
			_, ok := p.Types.Scope().Lookup(name).(*types.TypeName)
			return !ok
		})
	}
	var found *packages.Package
	for _, p := range candidates {
		obj, ok := p.Types.Scope().Lookup(names[0]).(*types.TypeName)
		switch {
		case !ok || genfile.IsGeneratedPos(p.Fset, obj.Pos()):
		case found == nil:
			found = p
		case found.PkgPath != p.PkgPath && !strings.Contains(p.ID, " ["):
			return nil, pathmsg.Errorf("type %s is declared in both %s and %s: give one package", names[0], found.PkgPath, p.PkgPath)
		case found.PkgPath == p.PkgPath && !declaresAll(found) && declaresAll(p):
			found = p
		}
	}
	return found, nil
}

// TargetError is the error that stops generating the wrappers of t: a list
// or syntax error of the package, or a type error that leaves one of the
// interfaces incomplete. Other type errors do not stop generation: they
// are often there only because the wrapper is missing or stale, in code
// that calls it or in the old generated file itself.
func TargetError(q *Query, t *Target) error {
	if err := FatalError(q, []*packages.Package{t.Pkg}); err != nil {
		return err
	}
	// Unused imports cannot make an interface incomplete, and without the
	// function bodies (see parseDecls) the type checker reports imports
	// that only the bodies use.
	errs := slices.DeleteFunc(loadErrors(q, []*packages.Package{t.Pkg}), func(e loadErr) bool {
		return unusedImport.MatchString(e.msg)
	})
	broken := slices.DeleteFunc(slices.Clone(t.Objs), func(obj *types.TypeName) bool {
		return !typewalk.Incomplete(obj)
	})
	if len(broken) == 0 {
		return nil
	}
	// The errors inside the declarations the interfaces are made of; if
	// there are none (an import that failed, say), all of them.
	spans := declSpans(t.Pkg, broken)
	relevant := slices.DeleteFunc(slices.Clone(errs), func(e loadErr) bool {
		return !inSpans(e.pos, spans)
	})
	if len(relevant) == 0 {
		relevant = errs
	}
	return firstError(q, relevant)
}

// Writable reports whether the package of t is in the main module or
// workspace, so that its directory may hold the wrapper.
func Writable(t *Target) bool {
	return t.Pkg.Module != nil && t.Pkg.Module.Main
}
