package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// writeError says in one line why file could not be written: the
// directory that refused and the reason the system gave, rather than the
// name of a temporary file.
func writeError(dir, file string, err error) error {
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		reason = le.Err.Error()
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, errReadOnly) {
		d := filepath.Dir(file)
		if pe != nil && pe.Op == "mkdir" {
			d = pe.Path
		}
		return fmt.Errorf("cannot write %s: directory %s is not writable (%s); make it writable, or give -output a file elsewhere", relFile(dir, file), shortPath(dir, d), reason)
	}
	return fmt.Errorf("cannot write %s: %s", relFile(dir, file), reason)
}

// staleTemp matches the temporary files write creates: .name.go.123.tmp.
var staleTemp = regexp.MustCompile(`^\..+\.go\.[0-9]+\.tmp$`)

// staleAge is how old a temporary file must be before a later run removes
// it: write renames its own within moments, so an older one was left by a
// run that was killed.
const staleAge = time.Minute

// removeStaleTemps removes from dir the temporary files of runs that were
// killed before they renamed them into place: those empty or starting with
// breakergen's header, and older than staleAge.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !staleTemp.MatchString(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil || time.Since(fi.ModTime()) < staleAge {
			continue
		}
		file := filepath.Join(dir, e.Name())
		if fi.Size() == 0 || isGeneratedFile(file) {
			os.Remove(file)
		}
	}
}
