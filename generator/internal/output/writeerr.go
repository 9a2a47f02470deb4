package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/breakergen/breakergen/generator/internal/genfile"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// writeError says in one line why file could not be written: the
// directory that refused and the reason the system gave, rather than the
// name of a temporary file.
func writeError(file string, err error) error {
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
		return pathmsg.Errorf("cannot write %s: directory %s is not writable (%s); make it writable, or give -output a file elsewhere", pathmsg.Path(file), pathmsg.Path(d), reason)
	}
	if err := fileOnPathError("write", file); err != nil {
		return err
	}
	return pathmsg.Errorf("cannot write %s: %s", pathmsg.Path(file), reason)
}

// fileOnPathError says that file cannot be written or read, verb, because
// a file stands where its path needs a directory, or returns nil.
func fileOnPathError(verb, file string) error {
	f := fileOnPath(file)
	if f == "" {
		return nil
	}
	return pathmsg.Errorf("cannot %s %s: %s is a file, not a directory; give -output a path that does not go through it", verb, pathmsg.Path(file), pathmsg.Path(f))
}

// fileOnPath returns the nearest directory of file's path that is not a
// directory but a file, or "".
func fileOnPath(file string) string {
	for d := filepath.Dir(file); d != filepath.Dir(d); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil {
			if !fi.IsDir() {
				return d
			}
			return ""
		}
	}
	return ""
}

// staleTemp matches the temporary files write creates, .name.go.PID.tmp,
// and those of earlier versions, which put a random number where the PID
// is; its group is the number.
var staleTemp = regexp.MustCompile(`^\..+\.go\.([0-9]+)\.tmp$`)

// staleAge is how old a temporary file must be before a later run removes
// it when its PID does not tell: write renames its own within moments, so
// an older one was left by a run that was killed.
const staleAge = time.Minute

// tempName is the name of the temporary file that write renames to file:
// hidden, beside it, and carrying the PID of the process writing it.
func tempName(file string) string {
	return filepath.Join(filepath.Dir(file), fmt.Sprintf(".%s.%d.tmp", filepath.Base(file), os.Getpid()))
}

// createTemp creates the temporary file for file. One process writes a
// file once at a time, so a file of that name already there is left by an
// earlier process that had the same PID: it is replaced if it is
// breakergen's.
func createTemp(file string) (*os.File, error) {
	name := tempName(file)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) && isTemp(name) {
		os.Remove(name)
		f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	}
	return f, err
}

// removeStaleTemps removes from dir the temporary files of runs that were
// killed before they renamed them into place: files named like write's,
// empty or starting with breakergen's header, whose process is gone or,
// where that cannot be told, that are older than staleAge.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := staleTemp.FindStringSubmatch(e.Name())
		if !e.Type().IsRegular() || m == nil {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if time.Since(fi.ModTime()) < staleAge && !writerGone(m[1]) {
			continue
		}
		if file := filepath.Join(dir, e.Name()); isTemp(file) {
			os.Remove(file)
		}
	}
}

// writerGone reports whether the process whose PID a temporary file's
// name carries is known not to be running.
func writerGone(num string) bool {
	pid, err := strconv.ParseInt(num, 10, 32)
	return err == nil && pid > 0 && processGone(int(pid))
}

// isTemp reports whether file, named like a temporary file, holds what
// write puts there: nothing yet, or breakergen's output.
func isTemp(file string) bool {
	fi, err := os.Lstat(file)
	return err == nil && fi.Mode().IsRegular() && (fi.Size() == 0 || genfile.IsGenerated(file))
}
