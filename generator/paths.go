package generator

import (
	"os"
	"path/filepath"
	"strings"
)

// absDir is dir as an absolute path; the working directory when empty.
func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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

// filesIn lists the files of dir whose names end in suffix, such as
// "_test.go", in name order; nil if dir cannot be read. (filepath.Glob
// would take a [, * or ? in dir's path for a pattern and match nothing.)
func filesIn(dir, suffix string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), suffix) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files
}
