package main

import (
	"bytes"
	"errors"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmePrelude declares what the README's Go blocks assume from the
// reader's own code: the types of the AgentClient interface, the fields of
// a generated wrapper and the methods its listing leaves out, and the values its usage block takes as given.
const readmePrelude = `package readme

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

type (
	Task        struct{}
	Result      struct{}
	AgentStatus struct{}
)

type AgentClientBreaker struct {
	next AgentClient
	cb   *runtime.Breaker
}

// The methods the README's listing of a wrapper leaves out.
func (b *AgentClientBreaker) Status(context.Context) (AgentStatus, error) { panic("listing") }
func (b *AgentClientBreaker) Close() error                                 { panic("listing") }

var (
	realClient AgentClient
	ctx        context.Context
	task       Task
	_          = errors.As
	_          = slog.Default
	_          = time.After
)
`

// TestREADMEGoBlocks parses every go block of README.md, as a file, as
// top-level declarations, or else as statements of a function body, and
// type-checks them all together in one package against the real runtime
// package and a prelude (readmePrelude) for the names the README leaves to
// the reader. A function declared without a body (a listing of a generated
// wrapper's signatures) gets one. Errors go/types calls soft (a variable or
// import not used) are allowed: the blocks are excerpts.
func TestREADMEGoBlocks(t *testing.T) {
	blocks := readGoBlocks(t, filepath.Join("..", "..", "README.md"))
	if len(blocks) == 0 {
		t.Fatal("README.md: no go blocks")
	}
	var decls, funcs bytes.Buffer
	fset := token.NewFileSet()
	for i, b := range blocks {
		if f, err := parser.ParseFile(fset, "", b, parser.ParseComments); err == nil {
			checkFile(t, fset, f, i)
			continue
		}
		if f, err := parser.ParseFile(fset, "", "package readme\n"+b, parser.ParseComments); err == nil {
			decls.WriteString(withBodies(t, fset, f) + "\n")
			continue
		}
		src := "func _() {\n" + b + "\n}\n"
		if _, err := parser.ParseFile(fset, "", "package readme\n"+src, 0); err != nil {
			t.Errorf("README.md go block %d does not parse as a file, declarations or statements: %v\n%s", i+1, err, b)
			continue
		}
		funcs.WriteString(src)
	}
	src := readmePrelude + decls.String() + funcs.String()
	f, err := parser.ParseFile(fset, "readme.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("README.md go blocks together: %v", err)
	}
	checkFile(t, fset, f, -1)
}

// checkFile type-checks f and reports its hard errors.
func checkFile(t *testing.T, fset *token.FileSet, f *ast.File, block int) {
	t.Helper()
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "source", nil),
		Error: func(err error) {
			var te types.Error
			if errors.As(err, &te) && te.Soft {
				return
			}
			if block >= 0 {
				t.Errorf("README.md go block %d: %v", block+1, err)
			} else {
				t.Errorf("README.md go blocks: %v", err)
			}
		},
	}
	_, _ = conf.Check("readme", fset, []*ast.File{f}, nil) // errors go to conf.Error
}

// withBodies returns the declarations of f, giving a body to each function
// declared without one.
func withBodies(t *testing.T, fset *token.FileSet, f *ast.File) string {
	t.Helper()
	var out bytes.Buffer
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == nil {
			fd.Body = &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
				Fun: ast.NewIdent("panic"), Args: []ast.Expr{&ast.BasicLit{Kind: token.STRING, Value: `"listing"`}},
			}}}}
		}
		if err := format.Node(&out, fset, d); err != nil {
			t.Fatal(err)
		}
		out.WriteString("\n")
	}
	return out.String()
}

// readGoBlocks returns the contents of the go blocks of the file at path.
func readGoBlocks(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	var cur *strings.Builder
	for line := range strings.Lines(string(data)) {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case cur == nil && trimmed == "```go":
			cur = new(strings.Builder)
		case cur != nil && trimmed == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line)
		}
	}
	return blocks
}
