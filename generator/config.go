package generator

import (
	"fmt"
	"go/build/constraint"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/output"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// Config is one run of the generator: what the command's flags say.
//
// With Types it generates the wrappers of those interfaces of one package
// into one file. Without Types it runs in batch mode: every interface
// of the packages matched by Patterns whose doc comment has a
// //breakergen:generate line gets a file of its own, and files that
// batch mode wrote for interfaces that no longer have one are removed.
type Config struct {
	Types     []string // interface names, from -type; none for batch mode
	Patterns  []string // package patterns or a directory; default "." with Types, required without
	Output    string   // output file, from -output; default <type>_breaker.go in the package
	Tags      []string // build tags, from -tags
	PerMethod bool     // one breaker per method, from -per-method
	ResultErr bool     // also guard methods whose last result carries the error, from -result-err
	Skip      []string // methods that pass through unguarded, from -skip
	Check     bool     // compare with the files on disk instead of writing them, from -check
	Dir       string   // the directory patterns and -output are relative to; "" means the current one
	// Note, when set, receives the lines a successful run has to say
	// besides its output, for standard error: a wrapper that guards
	// nothing, a package it created, a requirement the module lacks, a
	// file batch mode removed.
	Note func(msg string)
}

// A request is one output file's worth of a run: the interfaces it wraps,
// from -type or from a //breakergen:generate line, and how.
type request struct {
	dir       string // absolute
	tags      []string
	types     []string
	output    string // as given, relative to dir
	perMethod bool
	resultErr bool
	skip      []string
	check     bool // -check: compare, never write
}

// request is the one output file of a run with -type.
func (cfg *Config) request() *request {
	return &request{dir: cfg.Dir, tags: cfg.Tags, types: cfg.Types, output: cfg.Output, perMethod: cfg.PerMethod, resultErr: cfg.ResultErr, skip: cfg.Skip, check: cfg.Check}
}

// outRequest is what the output stage needs of req.
func (req *request) outRequest() *output.Request {
	return &output.Request{Dir: req.dir, Output: req.output, Types: req.types, Tags: req.tags, Check: req.check}
}

// A UsageError is a mistake in the command line rather than in the code it
// points at.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// validate checks the flags of cfg, each and in combination with the
// mode (-type or batch), and puts cfg in its canonical form: Dir absolute,
// so that paths are made absolute here and relative again only in
// messages (see package pathmsg), and the tags and the methods to skip sorted,
// without duplicates. It returns the
// expression of the //go:build line the tags ask for. Its errors are
// *UsageError: the flags, not the code, are wrong.
func (cfg *Config) validate() (build string, err error) {
	cfg.Dir = absDir(cfg.Dir)
	if len(cfg.Types) == 0 {
		if err := validateBatch(cfg.Patterns, cfg.Output, cfg.PerMethod, cfg.ResultErr, cfg.Skip); err != nil {
			return "", err
		}
	}
	if err := checkTypes(cfg.Types, cfg.Patterns); err != nil {
		return "", err
	}
	if len(cfg.Patterns) == 0 {
		cfg.Patterns = []string{"."}
	}
	if err := checkSkip(cfg.Skip); err != nil {
		return "", err
	}
	cfg.Tags, cfg.Skip = sortedSet(append(cfg.Tags, goflagsTags()...)), sortedSet(cfg.Skip)
	if build, err = buildExpr(cfg.Tags); err != nil {
		return "", err
	}
	if cfg.Output != "" && filepath.Ext(cfg.Output) != ".go" {
		// Batch mode, which has no -type, refused -output above.
		return "", notGoFile(cfg.Dir, cfg.Output, cfg.Types[0])
	}
	return build, nil
}

// checkTypes checks the names given to -type, and that the patterns name
// one package when there are some.
func checkTypes(types, patterns []string) error {
	for i, name := range types {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-type: %q is not a Go identifier", name)}
		}
		if slices.Contains(types[:i], name) {
			return &UsageError{fmt.Sprintf("-type: %s is listed twice", name)}
		}
	}
	for _, pat := range patterns {
		if strings.HasSuffix(pat, ".go") {
			return &UsageError{fmt.Sprintf("%s is a Go file, not a package: the go command would load it alone, as package command-line-arguments; give its directory, %s", pat, dirPattern(pat))}
		}
		if isTypeName(pat) {
			return &UsageError{fmt.Sprintf("%s is not a package: packages are given as import paths or directories; to wrap the interface %s, give -type=%s", pat, pat, pat)}
		}
		if len(types) > 0 && (strings.Contains(pat, "...") || pat == "std" || pat == "cmd" || pat == "all") {
			return &UsageError{fmt.Sprintf("-type names interfaces of one package, but %s matches many: drop -type to generate every interface marked %s there, or name one package", pat, genfile.Directive)}
		}
	}
	return nil
}

// dirPattern is the package pattern of the directory of the file pat.
func dirPattern(pat string) string {
	dir := filepath.Dir(pat)
	if dir == "." || filepath.IsAbs(dir) || strings.HasPrefix(dir, "."+string(filepath.Separator)) || strings.HasPrefix(dir, "..") {
		return dir
	}
	return "." + string(filepath.Separator) + dir
}

// isTypeName reports whether pat, given where a package is expected,
// looks like the name of an exported type instead: an identifier with an
// upper-case first letter, which no import path of the standard library
// has, and which the go command takes for an import path, not a
// directory.
func isTypeName(pat string) bool {
	r, _ := utf8.DecodeRuneInString(pat)
	return token.IsIdentifier(pat) && unicode.IsUpper(r)
}

// notGoFile is the error for an -output, relative to dir, that does not
// name a .go file, with the file to give instead for the interface typ.
func notGoFile(dir, output, typ string) error {
	path := output
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	fi, err := os.Stat(path)
	isDir, isFile := err == nil && fi.IsDir(), err == nil && !fi.IsDir()
	advice := goFileAdvice(filepath.ToSlash(output), isDir, isFile, strings.ToLower(typ)+"_breaker.go")
	return &UsageError{fmt.Sprintf("-output %s: not a .go file: %s", output, filepath.FromSlash(advice))}
}

// goFileAdvice says what to give -output instead of out, a slash-separated
// path that does not end in .go: a file named name in out when out is a
// directory, or may be one; out with .go for its extension; or name
// beside out.
func goFileAdvice(out string, isDir, isFile bool, name string) string {
	dir, base := path.Split(out)
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	switch {
	case isDir, ext == "" && !isFile && base != "":
		return "name a .go file, such as " + path.Join(out, name)
	case ext != "" && stem != "" && !strings.HasPrefix(stem, ".") && !strings.HasPrefix(stem, "_"):
		return "name a .go file, such as " + dir + stem + ".go"
	}
	return "name a .go file, such as " + path.Join(dir, name)
}

// validateBatch checks the flags of batch mode: package patterns are
// required, and the flags of one interface go on its directive instead.
func validateBatch(patterns []string, output string, perMethod, resultErr bool, skip []string) error {
	if len(patterns) == 0 {
		return &UsageError{fmt.Sprintf("-type is required, or package patterns such as ./... to generate every interface marked %s", genfile.Directive)}
	}
	var perType []string
	if output != "" {
		perType = append(perType, "-output")
	}
	if perMethod {
		perType = append(perType, "-per-method")
	}
	if resultErr {
		perType = append(perType, "-result-err")
	}
	if len(skip) > 0 {
		perType = append(perType, "-skip")
	}
	if len(perType) > 0 {
		return &UsageError{fmt.Sprintf("%s applies to the interfaces of -type; without -type (batch mode), give it on an interface's %s line", strings.Join(perType, ", "), genfile.Directive)}
	}
	return nil
}

// checkSkip says whether the names given to -skip are identifiers.
func checkSkip(skip []string) error {
	for _, name := range skip {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-skip: %q is not a method name", name)}
		}
	}
	return nil
}

// A noter gives Config.Note a line, if it is set.
type noter func(format string, args ...any)

// newNoter is the noter of note, with the paths of its lines made short
// relative to dir (see package pathmsg): one of the two places that do it,
// with Run.
func newNoter(note func(string), dir string) noter {
	return func(format string, args ...any) {
		if note != nil {
			note(pathmsg.Sprintf(format, args...).Render(dir))
		}
	}
}

// flagArgs are the flags of a header for the tags, -per-method,
// -result-err and the methods to skip, each list sorted.
func flagArgs(tags []string, perMethod, resultErr bool, skip []string) []string {
	var args []string
	if len(tags) > 0 {
		args = append(args, "-tags="+strings.Join(tags, ","))
	}
	if perMethod {
		args = append(args, "-per-method")
	}
	if resultErr {
		args = append(args, "-result-err")
	}
	if len(skip) > 0 {
		args = append(args, "-skip="+strings.Join(skip, ","))
	}
	return args
}

// buildExpr is the expression of the //go:build line for the tags given
// to -tags: all of them, so that the file builds only where the
// declarations they selected exist.
func buildExpr(tags []string) (string, error) {
	if len(tags) == 0 {
		return "", nil
	}
	// The tags as they would be with commas for spaces, to suggest.
	var all []string
	for _, tag := range tags {
		all = append(all, strings.Fields(tag)...)
	}
	for _, tag := range tags {
		if fields := strings.Fields(tag); len(fields) > 1 && !slices.ContainsFunc(all, func(t string) bool { return !isTag(t) }) {
			return "", &UsageError{fmt.Sprintf("-tags: %q is not a build tag: separate tags with commas, as in -tags=%s", tag, strings.Join(all, ","))}
		}
		if _, err := constraint.Parse("//go:build " + tag); err != nil || !isTag(tag) {
			return "", &UsageError{fmt.Sprintf("-tags: %q is not a build tag: a tag is made of letters, digits, _ and .", tag)}
		}
	}
	x, err := constraint.Parse("//go:build " + strings.Join(tags, " && "))
	if err != nil {
		return "", &UsageError{fmt.Sprintf("-tags: %v", err)}
	}
	return x.String(), nil
}

// isTag reports whether s is a build tag: letters, digits, _ and .
func isTag(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// goflagsTags are the build tags that GOFLAGS gives the go command
// (-tags=a,b): they select the files breakergen loads as -tags does, and a
// -tags on the go command's command line would replace them, so they count
// as given to -tags.
func goflagsTags() []string {
	var tags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if name, value, ok := strings.Cut(strings.TrimLeft(f, "-"), "="); ok && name == "tags" {
			tags = append(tags, strings.FieldsFunc(value, func(r rune) bool { return r == ',' })...)
		}
	}
	return tags
}
