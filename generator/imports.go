package generator

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// collectImports adds the packages that the wrapper of it refers to.
func collectImports(it *ifaceModel, imports map[string]string) {
	add := func(t types.Type) {
		walkTypes(t, func(t types.Type) {
			if b, ok := t.(*types.Basic); ok && b.Kind() == types.UnsafePointer {
				imports["unsafe"] = "unsafe"
			}
			obj := typeName(t)
			if obj != nil && obj.Pkg() != nil {
				imports[obj.Pkg().Path()] = obj.Pkg().Name()
			}
		})
	}
	add(it.Type)
	for _, tp := range it.TypeParams {
		add(tp.Constraint)
	}
	for _, m := range it.Methods {
		add(m.Sig)
	}
}

// An importName is a package the generated file imports.
type importName struct {
	Pkg  string // the package's name
	Name string // the name it is imported under
}

// importNames names the imports of the generated file. A package keeps its
// own name unless another import of the file has the same name, or the name
// is taken by a package-level name of the output package, a Go keyword or a
// predeclared name. Such a package takes the name that the interface's
// source file imports it under (srcNames), so that a name means the same
// package in both files; else a readable alias made of its path (randv2 for
// math/rand/v2, xlog for example.com/x/log); else its name with a numeric
// suffix. Of packages with the same name and no name in the source file, one
// without a readable alias keeps the name, else the runtime of generated
// code, else the first path in order.
func importNames(imports map[string]string, scope map[string]bool, srcNames map[string]string) map[string]importName {
	taken := map[string]bool{}
	for name := range scope {
		taken[name] = true
	}
	usable := func(name string) bool {
		return name != "" && !taken[name] && !jen.IsReservedWord(name)
	}
	// The runtime of generated code first, so it keeps its name when it can.
	paths := append([]string{runtimePath}, slices.DeleteFunc(sortedKeys(imports), func(p string) bool { return p == runtimePath })...)
	paths = slices.DeleteFunc(paths, func(p string) bool { _, ok := imports[p]; return !ok })
	count := map[string]int{}
	for _, path := range paths {
		count[imports[path]]++
	}
	out := map[string]importName{}
	var clashing []string
	for _, path := range paths {
		if pkg := imports[path]; count[pkg] == 1 && usable(pkg) {
			out[path] = importName{Pkg: pkg, Name: pkg}
			taken[pkg] = true
		} else {
			clashing = append(clashing, path)
		}
	}
	var rest []string
	for _, path := range clashing {
		if name := srcNames[path]; usable(name) {
			out[path] = importName{Pkg: imports[path], Name: name}
			taken[name] = true
		} else {
			rest = append(rest, path)
		}
	}
	// A package that has no readable alias (a standard one such as log)
	// gets its name before one that has.
	slices.SortStableFunc(rest, func(a, b string) int {
		return boolInt(readableAlias(a, imports[a]) != "") - boolInt(readableAlias(b, imports[b]) != "")
	})
	for _, path := range rest {
		pkg := imports[path]
		name := pkg
		if !usable(name) {
			name = readableAlias(path, pkg)
		}
		if !usable(name) {
			name = pkg
			for k := 1; !usable(name); k++ {
				name = fmt.Sprintf("%s%d", pkg, k)
			}
		}
		taken[name] = true
		out[path] = importName{Pkg: pkg, Name: name}
	}
	return out
}

// readableAlias is a name for the package pkg at path that says which one
// it is: the name with the major version of the path (randv2), else with
// the element before the last (xlog); "" if the path has neither.
func readableAlias(path, pkg string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if isMajorVersion(last) {
		return pkg + last
	}
	if len(elems) < 2 {
		return ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(elems[len(elems)-2]) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + pkg
}

// isMajorVersion reports whether a path element is a major version suffix:
// v2, v3...
func isMajorVersion(elem string) bool {
	return len(elem) > 1 && elem[0] == 'v' && isDigits(elem[1:]) && elem[1] != '0'
}

// assumedName is the package name a reader assumes from an import path:
// its last element, or the one before a major version suffix.
func assumedName(path string) string {
	elems := strings.Split(path, "/")
	if n := len(elems); n > 1 && isMajorVersion(elems[n-1]) {
		return elems[n-2]
	}
	return elems[len(elems)-1]
}

// sourceImportNames maps the import paths of the files that declare objs
// to the names those files use for them: the explicit name, or the package's
// own. Blank and dot imports give no name. The first file to import a path
// wins.
func sourceImportNames(pkg *types.Package, files []*ast.File, fset *token.FileSet, objs []*types.TypeName) map[string]string {
	own := map[string]string{}
	for _, imp := range pkg.Imports() {
		own[imp.Path()] = imp.Name()
	}
	names := map[string]string{}
	for _, obj := range objs {
		file := fset.File(obj.Pos())
		for _, f := range files {
			if fset.File(f.Pos()) != file {
				continue
			}
			for _, spec := range f.Imports {
				path, err := strconv.Unquote(spec.Path.Value)
				if err != nil {
					continue
				}
				name := own[path]
				if spec.Name != nil {
					name = spec.Name.Name
				}
				if _, ok := names[path]; !ok && name != "_" && name != "." && name != "" {
					names[path] = name
				}
			}
		}
	}
	return names
}
