package load

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/tools/go/packages"
)

// A loadErr is one error of a package load, with its position made
// absolute, and whether it stops generation whatever the interface.
type loadErr struct {
	pos, msg string
	fatal    bool // a list or syntax error, not a type error
}

// loadErrors lists the errors of pkgs. A package that go list compiled
// (for its export data) has the compiler's report, in the words of go
// build; its parser's and type checker's errors, which repeat it, are
// dropped. Without it, the parser's errors count once per line, as
// go/scanner's ErrorList.RemoveMultiples does.
func loadErrors(q *Query, pkgs []*packages.Package) []loadErr {
	var errs []loadErr
	parsed := map[span]bool{} // lines with a parse error
	for _, p := range pkgs {
		compiled := slices.ContainsFunc(p.Errors, isCompilerOutput)
		for _, e := range p.Errors {
			switch {
			case compiled && (e.Kind == packages.TypeError || e.Kind == packages.ParseError):
				continue
			case e.Kind == packages.ParseError:
				line := errorLine(e.Pos)
				if parsed[line] {
					continue
				}
				parsed[line] = true
			}
			errs = append(errs, loadErrsOf(q.Dir, e)...)
		}
	}
	return errs
}

// FatalError is the first error of pkgs that stops generation whatever
// the interface, a list or syntax error, with "(and N more errors)"; or nil.
func FatalError(q *Query, pkgs []*packages.Package) error {
	return firstError(q, slices.DeleteFunc(loadErrors(q, pkgs), func(e loadErr) bool {
		return !e.fatal
	}))
}

// firstError formats the first of errs with its position and how many more
// there are, or returns nil.
func firstError(q *Query, errs []loadErr) error {
	if len(errs) == 0 {
		return nil
	}
	more := ""
	if len(errs) > 1 {
		more = fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	msg := errs[0].msg
	if errs[0].pos != "" {
		return pathmsg.Errorf("%s: %s%s", pathmsg.Pos(errs[0].pos), pathmsg.Text(gomod.ImportError(filepath.Dir(pathmsg.File(errs[0].pos)), q.Tags, msg)), more)
	}
	// A failure of the pattern itself, such as a missing directory: say
	// which pattern, as the user wrote it, and what the go command said,
	// its paths made short like the others.
	msg = strings.Join(strings.Fields(statPrefix.ReplaceAllString(msg, "")), " ")
	head := "load " + strings.Join(q.Patterns, " ")
	if strings.HasSuffix(msg, "directory not found") && !slices.ContainsFunc(q.Patterns, filepath.IsAbs) {
		return pathmsg.Errorf("%s: %s; a directory is relative to where breakergen runs, which under go generate is the directory of the file with the directive%s", head, pathmsg.Text(msg), more)
	}
	if hint := gomod.OtherModule(q.Dir, q.Patterns); hint != nil && (strings.Contains(msg, "main module") || strings.Contains(msg, "no required module provides") || strings.Contains(msg, "cannot find module providing")) {
		// go get cannot add a module that is not published.
		msg, _, _ = strings.Cut(msg, "; to add it: go get")
		return pathmsg.Errorf("%s: %s; %s%s", head, pathmsg.Text(msg), hint, more)
	}
	return pathmsg.Errorf("%s: %s%s", head, pathmsg.Text(msg), more)
}

// A span is the lines of a declaration.
type span struct {
	file        string
	first, last int
}

// declSpans lists the lines of the declarations of objs and of the
// interfaces of pkg that they embed.
func declSpans(pkg *packages.Package, objs []*types.TypeName) []span {
	want := map[token.Pos]bool{}
	for _, obj := range declared(objs) {
		want[obj.Pos()] = true
	}
	var spans []span
	for _, f := range pkg.Syntax {
		for _, spec := range TypeSpecs(f) {
			if want[spec.Name.Pos()] {
				from, to := pkg.Fset.Position(spec.Pos()), pkg.Fset.Position(spec.End())
				spans = append(spans, span{from.Filename, from.Line, to.Line})
			}
		}
	}
	return spans
}

// errorLine is the line of a "file:line:col" position, as a span.
func errorLine(pos string) span {
	file := pathmsg.File(pos)
	rest, _, _ := strings.Cut(strings.TrimPrefix(pos[len(file):], ":"), ":")
	line, _ := strconv.Atoi(rest)
	return span{file, line, line}
}

// inSpans reports whether the position pos ("file:line:col") lies in one
// of spans.
func inSpans(pos string, spans []span) bool {
	at := errorLine(pos)
	for _, s := range spans {
		if s.file == at.file && s.first <= at.first && at.first <= s.last {
			return true
		}
	}
	return false
}

// unusedImport is the type checker's and the compiler's error for an
// import that nothing uses.
var unusedImport = regexp.MustCompile(`^"[^"]+" imported (as \S+ )?and not used$`)

// statPrefix is how the go command starts an error about a directory it
// could not find: "stat /abs/dir: directory not found".
var statPrefix = regexp.MustCompile(`^stat [^:]+: `)

// isCompilerOutput reports whether e is the compiler's output that go list
// reports as one error: "# pkg" and a line per error.
func isCompilerOutput(e packages.Error) bool {
	return e.Kind == packages.ListError && e.Pos == "" && strings.HasPrefix(e.Msg, "# ")
}

// loadErrsOf turns an error of the load into loadErrs: compiler
// output into one per line with its position, fatal if a syntax error;
// parse and list errors are fatal, type errors are not. Dir is the
// absolute directory go list ran in.
func loadErrsOf(dir string, e packages.Error) []loadErr {
	if !isCompilerOutput(e) {
		return []loadErr{{pos: e.Pos, msg: e.Msg, fatal: e.Kind != packages.TypeError}}
	}
	var out []loadErr
	for pos, msg := range gomod.CompilerErrors(dir, e.Msg) {
		out = append(out, loadErr{pos: pos, msg: msg, fatal: strings.HasPrefix(msg, "syntax error")})
	}
	if len(out) == 0 {
		return []loadErr{{msg: e.Msg, fatal: true}}
	}
	return out
}
