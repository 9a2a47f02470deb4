package generator

import (
	"go/token"
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

// errorFile is the file name of a "file:line:col" position.
func errorFile(pos string) string {
	file := pos
	for range 2 {
		if i := strings.LastIndexByte(file, ':'); i > 0 && isDigits(file[i+1:]) {
			file = file[:i]
		}
	}
	if file == "" || file == "-" {
		return ""
	}
	return file
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

// relPos is pos with its file name made short by shortPath.
func relPos(dir, pos string) string {
	file := errorFile(pos)
	if file == "" || !filepath.IsAbs(file) {
		return pos
	}
	return shortPath(dir, file) + pos[len(file):]
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

// position formats pos with its file name made short by shortPath,
// relative to dir.
func position(dir string, fset *token.FileSet, pos token.Pos) string {
	return relPos(dir, fset.Position(pos).String())
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
