package generator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// write replaces file with src atomically: a temporary file in the same
// directory renamed over it. Every run that writes into a directory, or
// would but finds the file up to date, first removes the temporary files
// that killed runs left there. It leaves a file with the same bytes untouched
// and refuses to replace a file that is not generated code.
func write(dir, file string, src []byte) error {
	outDir := filepath.Dir(file)
	old, err := os.ReadFile(file)
	switch {
	case err == nil:
		if bytes.Equal(old, src) {
			// Nothing to write, but a killed run may have left its
			// temporary file beside this one.
			removeStaleTemps(outDir)
			return nil
		}
		if !hasHeader(bytes.NewReader(old), generatedHeader) {
			return foreignError(dir, file)
		}
	case !os.IsNotExist(err):
		return writeError(dir, file, err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(file); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return writeError(dir, file, err)
	}
	removeStaleTemps(outDir)
	tmp, err := createTemp(file)
	if err != nil {
		return writeError(dir, file, err)
	}
	defer os.Remove(tmp.Name()) // once renamed, this fails harmlessly
	if _, err := tmp.Write(src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return writeError(dir, file, err)
	}
	return nil
}

// foreignError says that file is in the way: generation will not replace
// a file without a generated-code header.
func foreignError(dir, file string) error {
	return fmt.Errorf("refusing to overwrite %s: it does not start with a \"// Code generated ... DO NOT EDIT.\" line, so it may hold hand-written code; move it or choose another -output", relFile(dir, file))
}

// check compares src with file and reports how they differ.
func check(dir, file string, src []byte) error {
	old, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return &staleError{fmt.Sprintf("%s does not exist; run go generate", relFile(dir, file))}
	}
	if err != nil {
		return err
	}
	if bytes.Equal(old, src) {
		return nil
	}
	if !hasHeader(bytes.NewReader(old), generatedHeader) {
		return foreignError(dir, file)
	}
	return &staleError{fmt.Sprintf("%s is out of date (%s); run go generate", relFile(dir, file), diffSummary(old, src))}
}

// A staleError says how a generated file differs from what it should be.
type staleError struct{ msg string }

func (e *staleError) Error() string { return e.msg }

// diffSummary says where two files first differ and how many lines each
// has that the other lacks.
func diffSummary(old, new []byte) string {
	a := strings.Split(string(old), "\n")
	b := strings.Split(string(new), "\n")
	first := 0
	for first < len(a) && first < len(b) && a[first] == b[first] {
		first++
	}
	count := map[string]int{}
	for _, l := range a {
		count[l]++
	}
	added := 0
	for _, l := range b {
		if count[l] > 0 {
			count[l]--
		} else {
			added++
		}
	}
	removed := 0
	for _, n := range count {
		removed += n
	}
	s := fmt.Sprintf("first difference at line %d, %d lines to add, %d to remove", first+1, added, removed)
	if first < len(b) {
		s += fmt.Sprintf(": want %q", strings.TrimSpace(b[first]))
	}
	return s
}
