package gomod

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
	"golang.org/x/mod/modfile"
)

// DirPattern reports whether pattern names a directory, relative or
// absolute, rather than an import path.
func DirPattern(pattern string) bool {
	return pattern == "." || pattern == ".." || strings.HasPrefix(pattern, "./") ||
		strings.HasPrefix(pattern, "../") || filepath.IsAbs(pattern)
}

// Foreign reports whether pattern is an import path that cannot be
// of the main module of dir: not a directory, not a pattern of several
// packages, not of the standard library, outside the module path in the
// go.mod file above dir, and with no go.work file in play.
func Foreign(dir, pattern string) bool {
	// The standard library's export data names its files $GOROOT/src/...:
	// they are not where the package's files are.
	first, _, _ := strings.Cut(pattern, "/")
	if DirPattern(pattern) || strings.Contains(pattern, "...") || strings.HasPrefix(pattern, "-") ||
		!strings.Contains(first, ".") {
		return false
	}
	d, err := filepath.Abs(dir)
	// The go command looks for go.work above go.mod too.
	if err != nil || Workspace(d) != "" {
		return false
	}
	root := Root(d)
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if root == "" || err != nil {
		return false
	}
	mod := modfile.ModulePath(data)
	return mod != "" && pattern != mod && !strings.HasPrefix(pattern, mod+"/")
}

// OtherModule says where to run breakergen for a pattern that names a
// package of a module nested in the one breakergen runs in, by directory
// (./nested or ./nested/...) or by import path, or returns nil. The go
// command does not enter such a module from the outer one.
func OtherModule(wd string, patterns []string) *pathmsg.Msg {
	own := Root(wd)
	for _, pat := range patterns {
		root, path := moduleOf(wd, own, pat)
		if root == "" {
			continue
		}
		r := pathmsg.Path(root)
		work := pathmsg.Sprintf("go work use %s", r)
		if Workspace(wd) == "" && own != "" {
			// A command to run in own, so relative to it.
			rel, err := filepath.Rel(own, root)
			if err != nil {
				rel = root
			}
			work = pathmsg.Sprintf("go work init . %s", rel)
			if own != wd {
				work = pathmsg.Sprintf("in %s: %s", pathmsg.Path(own), work)
			}
		}
		return pathmsg.Sprintf("%s is module %s, not part of this one: run breakergen in %s, or put both in a workspace (%s)", r, path, r, work)
	}
	return nil
}

// moduleOf is the root and the path of the module, other than own (the
// root of the module of wd), that holds the package of pattern, by
// directory or by import path; or "", "".
func moduleOf(wd, own, pat string) (root, path string) {
	dir := strings.TrimSuffix(strings.TrimSuffix(pat, "..."), "/")
	if !DirPattern(dir) {
		return nestedModule(own, strings.TrimSuffix(pat, "/..."))
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(wd, dir)
	}
	if root = Root(dir); root == "" || root == own {
		return "", ""
	}
	mod, err := ReadModFile(filepath.Join(root, "go.mod"))
	if err != nil || mod.Module == nil {
		return "", ""
	}
	return root, mod.Module.Mod.Path
}

// nestedModule finds, below the module root own, the directory of the
// module whose path is the longest prefix of importPath, or importPath
// itself, and returns it with the module's path; or "", "", as when own
// is "". It walks the tree, which it does only once a load has failed.
func nestedModule(own, importPath string) (dir, path string) {
	filepath.WalkDir(own, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == own {
			return nil
		}
		if name := d.Name(); name == "vendor" || name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return filepath.SkipDir
		}
		mod, err := ReadModFile(filepath.Join(p, "go.mod"))
		if err != nil || mod.Module == nil {
			return nil
		}
		if mp := mod.Module.Mod.Path; (importPath == mp || strings.HasPrefix(importPath, mp+"/")) && len(mp) > len(path) {
			dir, path = p, mp
		}
		return nil
	})
	return dir, path
}
