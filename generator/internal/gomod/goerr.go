package gomod

import (
	"fmt"
	"iter"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// goFailure matches how go/packages reports a go command that failed
// before listing any package: "err: exit status 1: stderr: go: ...".
var goFailure = regexp.MustCompile(`(?s)^err: exit status \d+: stderr: (.*)$`)

// CommandError turns the report of a go command that failed as a whole
// (a broken go.mod, inconsistent vendoring, a go.work that names a missing
// directory) into one line: the go command's first error with its advice,
// paths relative to dir, and how many more there are. It returns nil when
// err is not such a report.
func CommandError(dir string, err error) error {
	m := goFailure.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	errs := goErrors(m[1])
	if len(errs) == 0 {
		return nil
	}
	msg := errs[0]
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return pathmsg.Errorf("%s", pathmsg.Text(msg))
}

var (
	parsingHeader   = regexp.MustCompile(`^errors parsing (\S+):$`)
	vendoringHeader = regexp.MustCompile(`^inconsistent vendoring in (.+):$`)
	workMissing     = regexp.MustCompile(`^cannot load module (\S+) listed in go\.work file: open \S+: no such file or directory$`)
)

// goErrors splits the go command's standard error into its errors, each
// on one line.
func goErrors(stderr string) []string {
	var errs []string
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimPrefix(strings.TrimSpace(lines[i]), "go: ")
		// The lines that belong to this one: indented, or blank
		// between indented ones.
		var more []string
		for ; continues(lines, i+1); i++ {
			if l := strings.TrimSpace(lines[i+1]); l != "" {
				more = append(more, l)
			}
		}
		switch {
		case line == "":
		case parsingHeader.MatchString(line):
			// The errors follow, one per line, each with its position.
			for ; i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "go: "); i++ {
				if l := strings.TrimSpace(lines[i+1]); l != "" {
					errs = append(errs, l)
				}
			}
		case vendoringHeader.MatchString(line):
			errs = append(errs, vendoringError(line, more))
		case workMissing.MatchString(line):
			use := workMissing.FindStringSubmatch(line)[1]
			errs = append(errs, fmt.Sprintf("%s; create the module there, or remove it from go.work with go work edit -dropuse=%s", line, use))
		default:
			errs = append(errs, strings.Join(append([]string{line}, more...), " "))
		}
	}
	return errs
}

// continues reports whether lines[i] belongs to the error before it:
// indented, or blank between indented lines.
func continues(lines []string, i int) bool {
	if i >= len(lines) {
		return false
	}
	indented := func(l string) bool { return strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ") }
	return indented(lines[i]) || strings.TrimSpace(lines[i]) == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t")
}

// vendoringError is the error of inconsistent vendoring, from its header
// line and the lines that detail it, on one line.
func vendoringError(line string, more []string) string {
	var details []string
	for _, l := range more {
		if strings.HasPrefix(l, "To ") || l == "go mod vendor" {
			continue
		}
		details = append(details, l)
	}
	msg := strings.TrimSuffix(line, ":")
	if len(details) > 0 {
		msg += ": " + details[0]
		if len(details) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(details)-1)
		}
	}
	return msg + "; to sync the vendor directory, run go mod vendor"
}

// couldNotImport is the type checker's error for an import that did not
// load; the go command knows why.
var couldNotImport = regexp.MustCompile(`^could not import (\S+) \(.*\)$`)

// ImportError replaces the type checker's error for an import that did
// not load, such as `could not import example.com/x (invalid package name:
// "")`, with the go command's own, which says what to do: "no required
// module provides package example.com/x; to add it: go get example.com/x".
// The file that imports it is in dir. It returns msg when the go command
// has nothing to add.
func ImportError(dir string, tags []string, msg string) string {
	m := couldNotImport.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	args := []string{"list", "-e", "-f", "{{with .Error}}{{.Err}}{{end}}"}
	if len(tags) > 0 {
		args = append(args, "-tags="+strings.Join(tags, ","))
	}
	out, err := Run(dir, append(args, "--", m[1])...)
	if err != nil {
		return msg
	}
	if why := strings.Join(strings.Fields(string(out)), " "); why != "" {
		return why
	}
	return msg
}

// ListError is what go list says, with its words on one line after ": ",
// about patterns in dir with the build flags; "" if it succeeds. It
// explains an empty load: golang.org/x/tools/go/packages hides some
// failures of the go command, such as a go.mod that needs updating.
func ListError(dir string, flags, patterns []string) string {
	args := append([]string{"list"}, flags...)
	cmd := exec.Command("go", append(append(args, "--"), patterns...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if msg := strings.Join(strings.Fields(string(out)), " "); err != nil && msg != "" {
		return ": " + msg
	}
	return ""
}

// compilerLine is a line of compiler output that names a position.
var compilerLine = regexp.MustCompile(`^(\S+\.go):\d+(:\d+)?: `)

// CompilerErrors yields the errors of the compiler's output out, as go
// list reports it ("# pkg" and a line per error), each with its position,
// its file made absolute against dir, the directory go list ran in.
func CompilerErrors(dir, out string) iter.Seq2[string, string] {
	return func(yield func(pos, msg string) bool) {
		for line := range strings.SplitSeq(out, "\n") {
			m := compilerLine.FindStringSubmatchIndex(line)
			if m == nil {
				continue
			}
			pos := line[:m[1]-2]
			if file := line[m[2]:m[3]]; !filepath.IsAbs(file) {
				pos = filepath.Join(dir, file) + line[m[3]:m[1]-2]
			}
			if !yield(pos, line[m[1]:]) {
				return
			}
		}
	}
}
