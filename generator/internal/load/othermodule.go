package load

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// otherModule says where to run breakergen for a pattern that names a
// package of a module nested in the one breakergen runs in, by directory
// (./nested or ./nested/...) or by import path, or returns nil. The go
// command does not enter such a module from the outer one.
func otherModule(wd string, patterns []string) *pathmsg.Msg {
	own := gomod.Root(wd)
	for _, pat := range patterns {
		root, path := moduleOf(wd, own, pat)
		if root == "" {
			continue
		}
		r := pathmsg.Path(root)
		work := pathmsg.Sprintf("go work use %s", r)
		if gomod.Workspace(wd) == "" && own != "" {
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
	if !dirPattern(dir) {
		return nestedModule(own, strings.TrimSuffix(pat, "/..."))
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(wd, dir)
	}
	if root = gomod.Root(dir); root == "" || root == own {
		return "", ""
	}
	mod, err := gomod.ReadModFile(filepath.Join(root, "go.mod"))
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
		mod, err := gomod.ReadModFile(filepath.Join(p, "go.mod"))
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
