package generator

import (
	"path/filepath"
)

// absDir is dir as an absolute path; the working directory when empty.
func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// shortPath is path relative to dir (the working directory when empty)
// when that is shorter, as in messages: every path a message names goes
// through it, so that all of them read alike.
func shortPath(dir, path string) string {
	rel, err := filepath.Rel(absDir(dir), path)
	if err != nil || len(rel) >= len(path) {
		return path
	}
	return rel
}
