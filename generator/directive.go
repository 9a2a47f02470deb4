package generator

import (
	"flag"
	"fmt"
	"go/ast"
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/model"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// A directive is an interface's //breakergen:generate line: the flags of
// batch mode that apply to one interface.
type directive struct {
	output    string   // -output, slash-separated and relative to the package's directory; "" for the default
	perMethod bool     // -per-method
	resultErr bool     // -result-err
	skip      []string // -skip, sorted
}

// String is the line in its canonical form: the flags in one order, as the
// header of the file records it.
func (d *directive) String() string {
	args := []string{genfile.Directive}
	if d.output != "" {
		args = append(args, "-output="+d.output)
	}
	args = append(args, flagArgs(nil, d.perMethod, d.resultErr, d.skip)...)
	return strings.Join(args, " ")
}

// findDirective returns the //breakergen:generate line of a doc comment,
// or nil if there is none, and a second one, which is an error.
func findDirective(doc *ast.CommentGroup) (line, second *ast.Comment) {
	if doc == nil {
		return nil, nil
	}
	for _, c := range doc.List {
		if !isDirective(c.Text) {
			continue
		}
		if line != nil {
			return line, c
		}
		line = c
	}
	return line, nil
}

// isDirective reports whether a comment is a //breakergen:generate line.
func isDirective(text string) bool {
	text = strings.TrimRight(text, " \t")
	return text == genfile.Directive || strings.HasPrefix(text, genfile.Directive+" ") || strings.HasPrefix(text, genfile.Directive+"\t")
}

// typeDoc is the doc comment of a type declaration: its own, or that of
// its declaration when it is the only one there, unparenthesised.
func typeDoc(gd *ast.GenDecl, spec *ast.TypeSpec) *ast.CommentGroup {
	if spec.Doc == nil && !gd.Lparen.IsValid() {
		return gd.Doc
	}
	return spec.Doc
}

// misspelled says what is wrong with a comment that looks like a
// breakergen directive but is none, which would otherwise mark nothing
// without a word: a space after //, or an unknown name; or returns "".
func misspelled(text string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	if rest, ok := strings.CutPrefix(text, "// "); ok {
		if w, _, _ := strings.Cut(strings.TrimSpace(rest), " "); w == genfile.Directive[2:] || w == model.SkipDirective[2:] {
			return fmt.Sprintf("%q is not a directive: a directive has no space after //; write //%s", text, strings.TrimSpace(rest))
		}
		return ""
	}
	if strings.HasPrefix(word, "//breakergen:") && word != genfile.Directive && word != model.SkipDirective {
		return fmt.Sprintf("unknown directive %s; breakergen knows %s and %s", word, genfile.Directive, model.SkipDirective)
	}
	return ""
}

// commentsOf is the comments of a group, which may be nil.
func commentsOf(doc *ast.CommentGroup) []*ast.Comment {
	if doc == nil {
		return nil
	}
	return doc.List
}

// parseDirective reads the flags of the //breakergen:generate line of the
// interface name.
func parseDirective(text, name string) (*directive, error) {
	fs := flag.NewFlagSet(genfile.Directive, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var skip string
	d := new(directive)
	fs.StringVar(&d.output, "output", "", "")
	fs.BoolVar(&d.perMethod, "per-method", false, "")
	fs.BoolVar(&d.resultErr, "result-err", false, "")
	fs.StringVar(&skip, "skip", "", "")
	const usage = "it takes -per-method, -result-err, -output=file and -skip=Method,...; -tags and -check go on the command line"
	args := strings.Fields(strings.TrimPrefix(text, genfile.Directive))
	if err := fs.Parse(args); err != nil {
		return nil, pathmsg.Errorf("%s: %v; %s", genfile.Directive, err, usage)
	}
	seen := map[string]bool{}
	for _, arg := range args[:len(args)-fs.NArg()] {
		if !strings.HasPrefix(arg, "-") {
			continue // the value of the flag before
		}
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if seen[name] {
			return nil, pathmsg.Errorf("%s: -%s is given twice; give it once (-skip lists every method: -skip=A,B)", genfile.Directive, name)
		}
		seen[name] = true
	}
	if fs.NArg() > 0 {
		return nil, pathmsg.Errorf("%s: unexpected %q; %s", genfile.Directive, fs.Arg(0), usage)
	}
	// The line's fields hold no spaces: the list is its names between commas.
	d.skip = sortedSet(strings.FieldsFunc(skip, func(r rune) bool { return r == ',' }))
	if err := checkSkip(d.skip); err != nil {
		return nil, pathmsg.Errorf("%s: %w", genfile.Directive, err)
	}
	if d.output != "" {
		if filepath.IsAbs(d.output) || path.IsAbs(filepath.ToSlash(d.output)) {
			return nil, pathmsg.Errorf("%s: -output=%s: give a path relative to the package's directory, so that it means the same on every machine", genfile.Directive, d.output)
		}
		d.output = path.Clean(filepath.ToSlash(d.output))
		if path.Ext(d.output) != ".go" {
			return nil, pathmsg.Errorf("%s: -output=%s: not a .go file: %s", genfile.Directive, d.output, goFileAdvice(d.output, false, false, strings.ToLower(name)+"_breaker.go"))
		}
	}
	return d, nil
}
