package load

import (
	"path/filepath"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
	"golang.org/x/tools/go/packages"
)

func TestFatalError(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "agent.go")
	tests := []struct {
		name string
		errs []packages.Error
		want string
	}{
		{
			"syntax error from go list and the parser",
			[]packages.Error{
				{Msg: "# example.com/agent\n./agent.go:6:1: syntax error: unexpected EOF, expected }", Kind: packages.ListError},
				{Pos: file + ":5:19", Msg: "expected ';', found 'EOF'", Kind: packages.ParseError},
				{Pos: file + ":5:19", Msg: "expected '}', found 'EOF'", Kind: packages.ParseError},
			},
			"agent.go:6:1: syntax error: unexpected EOF, expected }",
		},
		{
			"parse errors alone, one per line",
			[]packages.Error{
				{Pos: file + ":5:19", Msg: "expected ';', found 'EOF'", Kind: packages.ParseError},
				{Pos: file + ":5:19", Msg: "expected '}', found 'EOF'", Kind: packages.ParseError},
				{Pos: file + ":9:1", Msg: "expected declaration", Kind: packages.ParseError},
			},
			"agent.go:5:19: expected ';', found 'EOF' (and 1 more errors)",
		},
		{
			"type errors are not fatal",
			[]packages.Error{
				{Msg: "# example.com/agent\n./agent.go:4:10: undefined: erro", Kind: packages.ListError},
				{Pos: file + ":4:10", Msg: "undefined: erro", Kind: packages.TypeError},
			},
			"",
		},
	}
	q := &Query{Dir: dir, Patterns: []string{"."}}
	for _, tt := range tests {
		err := FatalError(q, []*packages.Package{{Errors: tt.errs}})
		got := ""
		if err != nil {
			got = pathmsg.Short(dir, err).Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
