package load

import (
	"bytes"
	"go/ast"
	"go/build"
	"go/printer"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// declsOf prints the declarations of src as parseDecls leaves them, each
// with the position of its start, without comments.
func declsOf(t *testing.T, name string, src []byte) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parseDecls(fset, name, src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b bytes.Buffer
	for _, d := range f.Decls {
		b.WriteString(fset.Position(d.Pos()).String() + "\n")
		if err := printer.Fprint(&b, fset, d); err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n")
		ast.Inspect(d, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				b.WriteString(id.Name + "@" + fset.Position(id.Pos()).String() + " ")
			}
			return true
		})
		b.WriteString("\n")
	}
	return b.String()
}

func TestBlankBodies(t *testing.T) {
	src := "// Package p.\npackage p\n\nimport \"fmt\"\n\n" +
		"var f = func() int {\n\treturn 1\n}\n\n" +
		"func init() {\n\tfmt.Println(\"{\")\n}\n\n" +
		"type T struct{ a int }\n\n" +
		"func (T) init() { _ = '}' }\n\n" +
		"func (t *T) M(x interface{ N() }) struct{ b int } {\n\t// }\n\treturn struct{ b int }{t.a}\n}\n\n" +
		"func G[E interface{ ~int | ~string }](e E) (E,\n\terror) {\n\ts := `}{`\n\t_ = s\n\t/* { */\n\treturn e, nil\n}\n\n" +
		"func asm(x int) int\n\n" +
		"func H() func() {\n\treturn func() { fmt.Print('\\'') }\n}\n"
	blank := BlankBodies([]byte(src))
	if blank == nil {
		t.Fatal("BlankBodies: nil")
	}
	if len(blank) != len(src) || bytes.Count(blank, []byte("\n")) != strings.Count(src, "\n") {
		t.Fatalf("BlankBodies moved bytes:\n%s", blank)
	}
	for _, keep := range []string{"return 1"} {
		if !bytes.Contains(blank, []byte(keep)) {
			t.Errorf("BlankBodies dropped %q, which is not in the body of a declared function:\n%s", keep, blank)
		}
	}
	for _, gone := range []string{`fmt.Println("{")`, "'}'", "return struct", "`}{`", "return e", "'\\''"} {
		if bytes.Contains(blank, []byte(gone)) {
			t.Errorf("BlankBodies kept %q:\n%s", gone, blank)
		}
	}
	if got, want := declsOf(t, "p.go", blank), declsOf(t, "p.go", []byte(src)); got != want {
		t.Errorf("declarations differ\nblanked:\n%s\noriginal:\n%s", got, want)
	}
}

func TestBlankBodiesRefuses(t *testing.T) {
	for _, src := range []string{
		"package p\n\nfunc f() {\n//line x.go:1\n}\n",
		"package p\n\nfunc f() {\n",
		"package p\n\nfunc f() {\n\ts := \"unterminated\n}\n",
		"package p\n\nfunc f() }\n",
	} {
		if blank := BlankBodies([]byte(src)); blank != nil {
			t.Errorf("BlankBodies(%q) = %q, want nil", src, blank)
		}
	}
}

// TestBlankBodiesStd checks on the standard library's sources that a file
// with its bodies blanked has the same declarations, at the same
// positions, as the file itself once parseDecls drops the bodies.
func TestBlankBodiesStd(t *testing.T) {
	var files []string
	for _, pkg := range []string{"net/http", "go/types", "fmt", "strconv", "encoding/json", "runtime"} {
		more, err := filepath.Glob(filepath.Join(build.Default.GOROOT, "src", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	if len(files) < 100 {
		t.Fatalf("only %d files of the standard library", len(files))
	}
	blanked := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		blank := BlankBodies(src)
		if blank == nil {
			continue
		}
		blanked++
		if got, want := declsOf(t, file, blank), declsOf(t, file, src); got != want {
			t.Errorf("%s: declarations differ once the bodies are blanked", file)
		}
	}
	if blanked < len(files)*9/10 {
		t.Errorf("blanked %d files of %d", blanked, len(files))
	}
}

func TestParseDecls(t *testing.T) {
	src := "package p\n\nfunc init() { println() }\n\nfunc F() int { return 1 }\n\ntype T struct{}\n\nfunc (T) M() { undefined() }\n"
	f, err := parseDecls(token.NewFileSet(), "p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]bool{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			bodies[fn.Name.Name] = fn.Body != nil
			if fn.Body != nil && len(fn.Body.List) > 0 {
				t.Errorf("%s keeps its statements", fn.Name.Name)
			}
		}
	}
	if want := map[string]bool{"init": true, "F": false, "M": false}; !maps.Equal(bodies, want) {
		t.Errorf("bodies kept: %v, want %v", bodies, want)
	}
}

// BenchmarkParseDecls compares the two ways to parse the declarations of a
// package without its bodies, on net/http's files: blanking the bodies
// with go/scanner first (parseSignatures, what the load uses), or parsing
// everything and dropping the bodies afterwards (parseDecls alone).
func BenchmarkParseDecls(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(build.Default.GOROOT, "src", "net", "http", "*.go"))
	if err != nil || len(files) < 50 {
		b.Fatalf("net/http: %d files, %v", len(files), err)
	}
	var srcs [][]byte
	size := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		size += len(src)
	}
	for _, bm := range []struct {
		name  string
		parse func(*token.FileSet, string, []byte) (*ast.File, error)
	}{
		{"blanked", parseSignatures},
		{"full", parseDecls},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				fset := token.NewFileSet()
				for i, src := range srcs {
					if _, err := bm.parse(fset, files[i], src); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
