package generator

import (
	"maps"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// newFile builds the model of the output file, each interface once, and
// names everything in it (see nameFile); or says why the interfaces cannot
// be wrapped there.
func newFile(t *target, out dest, perMethod bool, skip []string) (*outFile, error) {
	syntax := newSyntax(t.pkg.Syntax)
	file := &outFile{PkgPath: out.pkgPath, PkgName: out.pkgName, PerMethod: perMethod}
	imports := map[string]string{runtimePath: "runtime"}
	for _, obj := range t.objs {
		pos := pathmsg.Pos(t.pkg.Fset.Position(obj.Pos()).String())
		it, err := newInterface(obj, syntax, skip)
		if err != nil {
			return nil, pathmsg.Errorf("%s: %w", pos, err)
		}
		nameTypeParams(it, nil)
		file.Interfaces = append(file.Interfaces, it)
		if err := checkExported(it, obj, out.pkgPath, writable(t)); err != nil {
			return nil, pathmsg.Errorf("%s: %w", pos, err)
		}
		for _, name := range []string{wrapperName(obj.Name()), ctorName(obj.Name())} {
			if at, ok := out.declared[name]; ok {
				return nil, pathmsg.Errorf("%s: cannot wrap %s: %s is already declared at %s; rename one of them", pos, obj.Name(), name, pathmsg.Pos(at))
			}
		}
		collectImports(it, imports)
		if out.pkgPath != t.pkg.PkgPath {
			for _, path := range slices.Sorted(maps.Keys(imports)) {
				if path == out.pkgPath || importable(path, out.pkgPath) {
					continue
				}
				if !writable(t) {
					return nil, pathmsg.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another module, so no package outside that module can wrap %s; declare in your package an interface with the methods you call that do not use it, and wrap that instead", pos, it.Name, out.pkgPath, path, it.Name)
				}
				return nil, pathmsg.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another tree; generate into package %s instead", pos, it.Name, out.pkgPath, path, t.pkg.Name)
			}
		}
	}
	if err := unknownSkip(skip, file.Interfaces); err != nil {
		return nil, err
	}
	delete(imports, out.pkgPath)
	nameFile(file, imports, out.scope, sourceImportNames(t.pkg.Types, t.pkg.Syntax, t.pkg.Fset, t.objs))
	return file, nil
}

// unknownSkip says which name given to -skip is a method of none of the
// interfaces, and lists their methods.
func unknownSkip(skip []string, its []*ifaceModel) error {
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
		switch {
		case slices.Contains(methods, name):
			continue
		case len(methods) == 0:
			return pathmsg.Errorf("-skip: %s has no methods; remove -skip", strings.Join(names, ", "))
		case len(its) == 1:
			return pathmsg.Errorf("-skip: %s has no method %s; its methods are %s", names[0], name, strings.Join(methods, ", "))
		}
		return pathmsg.Errorf("-skip: none of %s has a method %s; their methods are %s", strings.Join(names, ", "), name, strings.Join(methods, ", "))
	}
	return nil
}

// importable reports whether a package at from may import the package at
// path under the internal-directory rule.
func importable(path, from string) bool {
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
