package load

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"slices"
)

// BlankBodies returns a copy of the Go source src in which the contents of
// the bodies of top-level functions and methods are spaces, or nil when it
// cannot tell where the bodies are (the source does not scan, or it holds
// a //line directive, which blanking could move). Newlines stay, and so
// does every byte outside the bodies, so every declaration keeps its
// position; the parser then reads each body as an empty block, at a small
// fraction of the cost of parsing the code.
//
// It reads src with go/scanner: a body is a { at the top level of a
// declaration that starts with func, and that does not open a struct or
// interface type; it ends at the } that balances it.
func BlankBodies(src []byte) []byte {
	if bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line ")) {
		return nil
	}
	bodies, ok := funcBodies(src)
	if !ok {
		return nil
	}
	out := bytes.Clone(src)
	for _, body := range bodies {
		for i := body[0]; i < body[1]; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

// funcBodies lists the offsets of the contents of the bodies of the
// top-level functions of src, each from after its { to its }, or reports
// that src does not scan or its braces do not balance.
func funcBodies(src []byte) (bodies [][2]int, ok bool) {
	file := token.NewFileSet().AddFile("", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, nil, 0)
	var braces []token.Pos // the { not yet closed: NoPos unless it opens a body
	inFunc, prev := false, token.SEMICOLON
	for {
		pos, tok, _ := sc.Scan()
		if tok == token.EOF {
			return bodies, sc.ErrorCount == 0 && len(braces) == 0
		}
		if prev == token.SEMICOLON && len(braces) == 0 {
			inFunc = tok == token.FUNC // a declaration starts
		}
		switch tok {
		case token.LBRACE:
			if len(braces) > 0 || !inFunc || prev == token.STRUCT || prev == token.INTERFACE {
				pos = token.NoPos
			}
			braces = append(braces, pos)
		case token.RBRACE:
			if len(braces) == 0 {
				return nil, false
			}
			if open := braces[len(braces)-1]; open.IsValid() {
				bodies = append(bodies, [2]int{file.Offset(open) + 1, file.Offset(pos)})
			}
			braces = braces[:len(braces)-1]
		}
		prev = tok
	}
}

// parseDecls parses a file of the target package for go/packages without
// its function bodies, which the type checker then skips: the generator
// needs the package's declarations, not its code, and a package of many
// files loads faster. Init functions, which must have a body, keep an
// empty one. Blank variables (var _ I = (*T)(nil)) go too: they declare
// nothing, and their checks cost the most in packages of large interfaces.
func parseDecls(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	if f != nil {
		f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" && d.Body != nil {
					d.Body.List = nil // an init function must have a body
				} else {
					d.Body = nil
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					d.Specs = slices.DeleteFunc(d.Specs, blankVar)
					return len(d.Specs) == 0
				}
			}
			return false
		})
	}
	return f, err
}

// parseSignatures is parseDecls on src with its function bodies blanked,
// which parses in a fraction of the time, or on src itself when
// BlankBodies cannot blank them.
func parseSignatures(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if blank := BlankBodies(src); blank != nil {
		src = blank
	}
	return parseDecls(fset, filename, src)
}

// blankVar reports whether a var spec declares only blank names.
func blankVar(spec ast.Spec) bool {
	return !slices.ContainsFunc(spec.(*ast.ValueSpec).Names, func(name *ast.Ident) bool {
		return name.Name != "_"
	})
}
