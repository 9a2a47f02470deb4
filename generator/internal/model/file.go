package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/load"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// Options are the flags of a run that shape the model.
type Options struct {
	PerMethod bool     // one breaker per method, from a runtime.Set
	Skip      []string // methods that pass through unguarded
	ResultErr bool     // guard methods whose result carries the error (see Method.ResultErr)
}

// NewFile builds the model of the output file, each interface once, and
// names everything in it (see nameFile); or says why the interfaces cannot
// be wrapped there.
func NewFile(t *load.Target, out Dest, opts Options) (*File, error) {
	skip := opts.Skip
	syntax := newSyntax(t.Pkg.Syntax)
	file := &File{PkgPath: out.PkgPath, PkgName: out.PkgName, PerMethod: opts.PerMethod}
	imports := map[string]string{RuntimePath: "runtime"}
	for _, obj := range t.Objs {
		pos := pathmsg.Pos(t.Pkg.Fset.Position(obj.Pos()).String())
		it, err := newInterface(obj, syntax, skip, opts.ResultErr)
		if err != nil {
			return nil, pathmsg.Errorf("%s: %w", pos, err)
		}
		nameTypeParams(it, nil)
		file.Interfaces = append(file.Interfaces, it)
		if err := checkExported(it, obj, out.PkgPath, load.Writable(t)); err != nil {
			return nil, pathmsg.Errorf("%s: %w", pos, err)
		}
		for _, name := range []string{WrapperName(obj.Name()), CtorName(obj.Name())} {
			if at, ok := out.Declared[name]; ok {
				return nil, pathmsg.Errorf("%s: cannot wrap %s: %s is already declared at %s; rename one of them", pos, obj.Name(), name, pathmsg.Pos(at))
			}
		}
		collectImports(it, imports)
		if out.PkgPath != t.Pkg.PkgPath {
			for _, path := range slices.Sorted(maps.Keys(imports)) {
				if path == out.PkgPath || Importable(path, out.PkgPath) {
					continue
				}
				if !load.Writable(t) {
					return nil, pathmsg.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another module, so no package outside that module can wrap %s; declare in your package an interface with the methods you call that do not use it, and wrap that instead", pos, it.Name, out.PkgPath, path, it.Name)
				}
				return nil, pathmsg.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another tree; generate into package %s instead", pos, it.Name, out.PkgPath, path, t.Pkg.Name)
			}
		}
	}
	if err := unknownSkip(skip, file.Interfaces); err != nil {
		return nil, err
	}
	delete(imports, out.PkgPath)
	nameFile(file, imports, out.Scope, sourceImportNames(t.Pkg.Types, t.Pkg.Syntax, t.Pkg.Fset, t.Objs))
	return file, nil
}

// unknownSkip says which name given to -skip is a method of none of the
// interfaces, and lists their methods.
func unknownSkip(skip []string, its []*Interface) error {
	var methods, names []string
	for _, it := range its {
		names = append(names, it.Name)
		for _, m := range it.Methods {
			if !slices.Contains(methods, m.Name) {
				methods = append(methods, m.Name)
			}
		}
	}
	for _, name := range skip {
		if slices.Contains(methods, name) {
			continue
		}
		if len(methods) == 0 {
			return pathmsg.Errorf("-skip: %s has no methods; remove -skip", strings.Join(names, ", "))
		}
		var close []string
		for _, m := range methods {
			if pathmsg.Similar(name, m) {
				close = append(close, m)
			}
		}
		mean := ""
		if len(close) > 0 {
			mean = fmt.Sprintf(" (did you mean %s?)", strings.Join(close, " or "))
		}
		if len(its) == 1 {
			return pathmsg.Errorf("-skip: %s has no method %s%s; its methods are %s", names[0], name, mean, strings.Join(methods, ", "))
		}
		return pathmsg.Errorf("-skip: none of %s has a method %s%s; their methods are %s", strings.Join(names, ", "), name, mean, strings.Join(methods, ", "))
	}
	return nil
}

// Importable reports whether a package at from may import the package at
// path under the internal-directory rule.
func Importable(path, from string) bool {
	i := strings.LastIndex(path, "/internal/")
	switch {
	case i >= 0:
	case strings.HasSuffix(path, "/internal"):
		i = len(path) - len("/internal")
	case strings.HasPrefix(path, "internal/") || path == "internal":
		return false // the standard library's
	default:
		return true
	}
	parent := path[:i]
	return from == parent || strings.HasPrefix(from, parent+"/")
}
