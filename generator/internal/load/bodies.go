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
// fraction of the cost of parsing the code. The body of a plain init
// function stays, as parseDecls keeps it.
//
// It reads src with go/scanner: a body is the first { at the top level of
// a top-level func declaration, after its signature, that does not open
// a struct or interface type; it ends at the } that balances it.
func BlankBodies(src []byte) []byte {
	if bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line ")) {
		return nil
	}
	out := bytes.Clone(src)
	file := token.NewFileSet().AddFile("", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, nil, 0)
	b := blanker{prev: token.SEMICOLON} // as before a declaration
	for b.nest >= 0 {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		if !b.opensBody(tok, lit) {
			continue
		}
		end := bodyEnd(&sc, file)
		if end < 0 {
			return nil
		}
		for i := file.Offset(pos) + 1; i < end && !b.init; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	if sc.ErrorCount > 0 || b.nest != 0 {
		return nil
	}
	return out
}

// A blanker is the state of BlankBodies outside the bodies.
type blanker struct {
	nest   int         // (, [ and { outside bodies; below 0 when they do not balance
	inFunc bool        // in the signature of a top-level func declaration
	init   bool        // of a plain init function
	prev   token.Token // the token before
}

// opensBody takes one token and reports whether it is the { that opens the
// body of a top-level function declaration: after the func keyword that
// starts the declaration (not a function literal's type), outside the
// parentheses of its signature, and not opening a struct or interface type.
func (b *blanker) opensBody(tok token.Token, lit string) (body bool) {
	switch tok {
	case token.FUNC:
		if b.nest == 0 && b.prev == token.SEMICOLON {
			b.inFunc, b.init = true, false
		}
	case token.IDENT:
		if b.prev == token.FUNC {
			b.init = lit == "init" // a method's name follows its receiver
		}
	case token.LPAREN, token.LBRACK:
		b.nest++
	case token.RPAREN, token.RBRACK, token.RBRACE:
		b.nest--
	case token.LBRACE:
		if b.inFunc && b.nest == 0 && b.prev != token.STRUCT && b.prev != token.INTERFACE {
			b.inFunc, body = false, true
		} else {
			b.nest++
		}
	case token.SEMICOLON:
		if b.nest == 0 {
			b.inFunc = false // a declaration without a body
		}
	}
	b.prev = tok
	return body
}

// bodyEnd scans to the } that closes the { just scanned and returns its
// offset, or -1 if the source ends first.
func bodyEnd(sc *scanner.Scanner, file *token.File) int {
	for depth := 1; ; {
		pos, tok, _ := sc.Scan()
		switch tok {
		case token.EOF:
			return -1
		case token.LBRACE:
			depth++
		case token.RBRACE:
			if depth--; depth == 0 {
				return file.Offset(pos)
			}
		}
	}
}

// parseDecls parses a file of the target package for go/packages without
// its function bodies, which the type checker then skips: the generator
// needs the package's declarations, not its code, and a package of many
// files loads faster. The bodies of init functions, which must have one,
// stay. Blank variables (var _ I = (*T)(nil)) go too: they declare
// nothing, and their checks cost the most in packages of large interfaces.
func parseDecls(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	if f != nil {
		f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !(d.Recv == nil && d.Name.Name == "init") {
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
