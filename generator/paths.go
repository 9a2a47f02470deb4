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

// relPos makes the file name of a position relative to dir when it is
// inside it.
func relPos(dir, pos string) string {
	file := errorFile(pos)
	if file == "" || !filepath.IsAbs(file) {
		return pos
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return pos
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return pos
	}
	return rel + pos[len(file):]
}

// relFile is file relative to dir (the working directory when empty) when
// it is inside it.
func relFile(dir, file string) string {
	wd, err := filepath.Abs(dir)
	if err != nil {
		return file
	}
	if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}

// shortPath is path relative to dir (the working directory when empty)
// when that is shorter, as in messages.
func shortPath(dir, path string) string {
	rel, err := filepath.Rel(absDir(dir), path)
	if err != nil || len(rel) >= len(path) {
		return path
	}
	return rel
}

// position formats pos relative to the working directory.
func position(cfg *Config, fset *token.FileSet, pos token.Pos) string {
	return relPos(cfg.Dir, fset.Position(pos).String())
}
