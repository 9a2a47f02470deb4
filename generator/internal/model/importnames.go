package model

import (
	"maps"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/dave/jennifer/jen"
)

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
func importNames(imports map[string]string, pkgScope scope, srcNames map[string]string) map[string]importName {
	taken := pkgScope.with()
	usable := func(name string) bool {
		return name != "" && !taken[name] && !jen.IsReservedWord(name)
	}
	// The runtime of generated code first, so it keeps its name when it can.
	paths := append([]string{RuntimePath}, slices.DeleteFunc(slices.Sorted(maps.Keys(imports)), func(p string) bool { return p == RuntimePath })...)
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
		if usable(name) {
			taken[name] = true
		} else {
			name = taken.freshUnless(pkg, jen.IsReservedWord)
		}
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
	if gomod.IsMajorVersion(last) {
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
