package generator

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
)

// blankBodies returns a copy of the Go source src in which the contents of
// the bodies of top-level functions and methods are spaces, or nil when it
// cannot tell where the bodies are (the source does not scan, or it holds
// a //line directive, which blanking could move). Newlines stay, and so
// does every byte outside the bodies, so every declaration keeps its
// position; the parser then reads each body as an empty block, at a small
// fraction of the cost of parsing the code. The body of a plain init
// function stays, as parseDecls keeps it.
func blankBodies(src []byte) []byte {
	if bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line ")) {
		return nil
	}
	s := &bodyScanner{src: src}
	var out []byte
	depth := 0        // braces
	parens := 0       // parentheses and brackets
	stmtStart := true // the next token starts a top-level declaration
	for {
		tok, start, end := s.next()
		switch tok {
		case tokEOF:
			if depth != 0 || parens != 0 {
				return nil
			}
			if out == nil {
				out = bytes.Clone(src)
			}
			return out
		case tokBad:
			return nil
		case tokNewline:
			if depth == 0 && parens == 0 && s.canEnd {
				stmtStart = true
			}
			continue
		case tokIdent:
			if depth == 0 && parens == 0 && stmtStart && string(src[start:end]) == "func" {
				open, close, ok := s.funcBody()
				if !ok {
					return nil
				}
				if open >= 0 {
					if out == nil {
						out = bytes.Clone(src)
					}
					for i := open + 1; i < close; i++ {
						if out[i] != '\n' {
							out[i] = ' '
						}
					}
				}
				stmtStart = false
				continue
			}
		case '{':
			depth++
		case '}':
			depth--
		case '(', '[':
			parens++
		case ')', ']':
			parens--
		case ';':
			stmtStart = depth == 0 && parens == 0
			continue
		}
		if depth < 0 || parens < 0 {
			return nil
		}
		stmtStart = false
	}
}

// Tokens of a bodyScanner other than single bytes such as '{' and '('.
const (
	tokEOF = -1 - iota
	tokBad
	tokNewline // a newline outside a comment, or the end of a // comment
	tokIdent   // an identifier or keyword
	tokLiteral // a string, rune or number
	tokOther   // an operator
)

// A bodyScanner splits Go source into the few kinds of tokens
// blankBodies needs: identifiers, literals, brackets, newlines.
type bodyScanner struct {
	src    []byte
	pos    int
	canEnd bool // the last token ends a statement if a newline follows
}

// next returns the next token and its span.
func (s *bodyScanner) next() (tok, start, end int) {
	src := s.src
	for s.pos < len(src) {
		c := src[s.pos]
		start = s.pos
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
			continue
		case c == '\n':
			s.pos++
			return tokNewline, start, s.pos
		case c == '/' && s.pos+1 < len(src) && src[s.pos+1] == '/':
			i := bytes.IndexByte(src[s.pos:], '\n')
			if i < 0 {
				s.pos = len(src)
				return tokEOF, len(src), len(src)
			}
			s.pos += i + 1
			return tokNewline, start, s.pos
		case c == '/' && s.pos+1 < len(src) && src[s.pos+1] == '*':
			i := bytes.Index(src[s.pos+2:], []byte("*/"))
			if i < 0 {
				return tokBad, start, len(src)
			}
			comment := src[s.pos : s.pos+2+i+2]
			s.pos += len(comment)
			if bytes.IndexByte(comment, '\n') >= 0 {
				return tokNewline, start, s.pos
			}
			continue
		case c == '"' || c == '\'':
			i := s.pos + 1
			for ; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				} else if src[i] == '\n' {
					return tokBad, start, i
				}
			}
			if i >= len(src) {
				return tokBad, start, len(src)
			}
			s.pos = i + 1
			s.canEnd = true
			return tokLiteral, start, s.pos
		case c == '`':
			i := bytes.IndexByte(src[s.pos+1:], '`')
			if i < 0 {
				return tokBad, start, len(src)
			}
			s.pos += i + 2
			s.canEnd = true
			return tokLiteral, start, s.pos
		case isWordByte(c):
			i := s.pos
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			s.pos = i
			s.canEnd = true
			if c >= '0' && c <= '9' {
				return tokLiteral, start, i
			}
			return tokIdent, start, i
		case c == '{' || c == '}' || c == '(' || c == ')' || c == '[' || c == ']' || c == ';':
			s.pos++
			s.canEnd = c == '}' || c == ')' || c == ']'
			return int(c), start, s.pos
		default:
			s.pos++
			// ++ and -- end a statement; every other operator does not.
			s.canEnd = (c == '+' || c == '-') && start > 0 && src[start-1] == c
			return tokOther, start, s.pos
		}
	}
	return tokEOF, len(src), len(src)
}

// isWordByte reports whether c can be part of an identifier or a number.
// Bytes of multi-byte UTF-8 sequences count: only identifiers hold them
// outside strings and comments.
func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// funcBody scans a function declaration from just after its func keyword
// and returns the offsets of the braces of its body, or open < 0 when it
// has none or is a plain init function; ok is false when the declaration
// does not scan.
func (s *bodyScanner) funcBody() (open, close int, ok bool) {
	parens := 0
	first := true   // no token of the declaration yet
	method := false // the declaration has a receiver
	named := false  // the function's name has been read
	init := false
	for {
		tok, start, end := s.next()
		switch tok {
		case tokEOF, tokBad:
			return -1, -1, false
		case tokNewline:
			if parens == 0 && s.canEnd {
				return -1, -1, true // no body
			}
		case ';':
			if parens == 0 {
				return -1, -1, true
			}
		case tokIdent:
			word := string(s.src[start:end])
			if parens == 0 && !named {
				named = true
				init = !method && word == "init"
			}
			if word == "struct" || word == "interface" {
				// A type literal's braces, in the signature.
				tok, _, _ := s.next()
				for tok == tokNewline {
					tok, _, _ = s.next()
				}
				if tok != '{' || !s.skipBlock() {
					return -1, -1, false
				}
			}
		case '(', '[':
			if first && tok == '(' {
				method = true
			}
			parens++
		case ')', ']':
			parens--
			if parens < 0 {
				return -1, -1, false
			}
		case '{':
			if parens > 0 {
				return -1, -1, false
			}
			if !s.skipBlock() {
				return -1, -1, false
			}
			if init {
				return -1, -1, true
			}
			return start, s.pos - 1, true
		case '}':
			return -1, -1, false
		}
		first = false
	}
}

// skipBlock scans to just after the brace that closes the one just read.
// It looks at bytes rather than tokens: inside a block only braces,
// strings, runes and comments matter.
func (s *bodyScanner) skipBlock() bool {
	src := s.src
	depth := 1
	for i := s.pos; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				s.pos = i + 1
				s.canEnd = true
				return true
			}
		case '"', '\'', '`', '/':
			s.pos = i
			tok, _, _ := s.next()
			if tok == tokBad || tok == tokEOF {
				return false
			}
			i = s.pos - 1
		}
	}
	return false
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
// blankBodies cannot blank them.
func parseSignatures(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if blank := blankBodies(src); blank != nil {
		src = blank
	}
	return parseDecls(fset, filename, src)
}

// blankVar reports whether a var spec declares only blank names.
func blankVar(spec ast.Spec) bool {
	for _, name := range spec.(*ast.ValueSpec).Names {
		if name.Name != "_" {
			return false
		}
	}
	return true
}
