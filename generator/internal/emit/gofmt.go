package emit

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"runtime"
	"sync"
)

// gofmt returns src, a file as jennifer renders it unformatted, formatted
// as go/format.Source formats it. It parses src once and prints the
// top-level declarations on every processor: printing is most of the time
// of a large wrapper (go-redis's Cmdable with -result-err: 7,400 lines).
// That gives format.Source's bytes when every comment belongs to the head
// or to a declaration and a blank line separates the declarations, as in
// every file File renders; src that is not so goes to format.Source whole.
func gofmt(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	head, chunks, ok := split(fset, f)
	if !ok || len(chunks) < 2 {
		return format.Source(src)
	}
	nodes := []any{head} // what format.Node prints, each on its own
	for _, c := range chunks {
		nodes = append(nodes, c)
	}
	out := make([]bytes.Buffer, len(nodes))
	errs := make([]error, len(nodes))
	next := make(chan int, len(nodes))
	for i := range nodes {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(nodes)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = format.Node(&out[i], fset, nodes[i])
			}
		})
	}
	wg.Wait()
	var b bytes.Buffer
	b.Grow(len(src))
	for i := range out {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.Write(bytes.TrimRight(out[i].Bytes(), "\n"))
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// split returns the head of f (its comments, package clause and imports)
// as a file of its own, and every other declaration with its comments. It
// reports false if a comment lies outside them or two of them are not
// separated by a blank line, where printing them apart could differ from
// printing f.
func split(fset *token.FileSet, f *ast.File) (*ast.File, []*printer.CommentedNode, bool) {
	n := 0
	for n < len(f.Decls) {
		if d, ok := f.Decls[n].(*ast.GenDecl); !ok || d.Tok != token.IMPORT {
			break
		}
		n++
	}
	line := func(p token.Pos) int { return fset.PositionFor(p, false).Line }
	head := *f
	head.Decls = f.Decls[:n]
	end := f.Name.End()
	if n > 0 {
		end = f.Decls[n-1].End()
	}
	c := 0 // the next comment to place
	for c < len(f.Comments) && f.Comments[c].Pos() < end {
		c++
	}
	head.Comments = f.Comments[:c]
	chunks := make([]*printer.CommentedNode, 0, len(f.Decls)-n)
	for _, d := range f.Decls[n:] {
		beg := d.Pos()
		if doc := declDoc(d); doc != nil {
			beg = doc.Pos()
		}
		if line(beg)-line(end) < 2 || c < len(f.Comments) && f.Comments[c].Pos() < beg {
			return nil, nil, false
		}
		first := c
		for c < len(f.Comments) && f.Comments[c].Pos() < d.End() {
			c++
		}
		chunks = append(chunks, &printer.CommentedNode{Node: d, Comments: f.Comments[first:c]})
		end = d.End()
	}
	return &head, chunks, c == len(f.Comments)
}

// declDoc returns the doc comment of d, or nil.
func declDoc(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}
