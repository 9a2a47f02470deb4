package model

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// modelOf type-checks src as package p and returns the model of type name,
// honouring //breakergen:skip.
func modelOf(t *testing.T, src, name string) (*Interface, error) {
	t.Helper()
	pkg, f := testmod.CheckSource(t, src)
	obj, ok := pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		t.Fatalf("no type %s", name)
	}
	it, err := newInterface(obj, newSyntax([]*ast.File{f}), nil, false)
	if err == nil {
		nameInterface(it, nil)
	}
	return it, err
}

const modelSrc = `package p

import (
	"context"
	"io"
	"time"
)

type Base interface {
	Zeta() error
	Alpha(ctx context.Context) error
}

type Other interface {
	io.Closer
	Base
	Mid() int
}

type Agent interface {
	// Dispatch sends a task.
	Dispatch(ctx context.Context, task string) (string, error)
	Other
	Status() (state string, err error)
	// Ping is cheap.
	//breakergen:skip
	Ping() error
	Log(format string, args ...any)
	Wait(time time.Duration, b, p int, _ string, p0 int, err error) (r0 int, e error)
	Ctx(context.Context, int) (int, int, error)
	Late(x int, ctx context.Context) error
}

type Embeds interface {
	//breakergen:skip
	io.Closer
	Other
	Only
}

type Only interface {
	io.Writer
	io.Reader
}

type E = error

type Aliased interface {
	Do() E
	Named() (n int, e MyErr)
}

type MyErr error

type D Agent

type G[K comparable, _ any, b any, p any, err any] interface {
	Get(k K, v b) (p, err, error)
}

type Num interface{ ~int | ~float64 }

type Cmp interface {
	comparable
	M()
}

type S struct{}
`

func TestModelMethods(t *testing.T) {
	type method struct {
		Name            string
		Params, Results []string
		Guarded, Ctx    bool
		Unguard         string
	}
	tests := []struct {
		name string
		want []method
	}{
		{"Agent", []method{
			{"Dispatch", []string{"ctx", "task"}, []string{"r0", "err"}, true, true, ""},
			// Other in its place: io.Closer, then Base, then Mid.
			{"Close", nil, []string{"err"}, true, false, ""},
			{"Zeta", nil, []string{"err"}, true, false, ""},
			{"Alpha", []string{"ctx"}, []string{"err"}, true, true, ""},
			{"Mid", nil, []string{"r0"}, false, false, reasonNoError},
			{"Status", nil, []string{"state", "err"}, true, false, ""},
			{"Ping", nil, []string{"r0"}, false, false, ReasonSkip},
			{"Log", []string{"format", "args"}, nil, false, false, reasonNoError},
			// The interface's names stay, even those of packages and of
			// the generated receiver and locals, which move instead.
			{"Wait", []string{"time", "b1", "p1", "p3", "p0", "err"}, []string{"r0", "e"}, true, false, ""},
			{"Ctx", []string{"p0", "p1"}, []string{"r0", "r1", "err"}, true, true, ""},
			{"Late", []string{"x", "ctx"}, []string{"err"}, true, false, ""},
		}},
		{"Embeds", []method{
			{"Close", nil, []string{"r0"}, false, false, ReasonSkipEmb},
			{"Zeta", nil, []string{"err"}, true, false, ""},
			{"Alpha", []string{"ctx"}, []string{"err"}, true, true, ""},
			{"Mid", nil, []string{"r0"}, false, false, reasonNoError},
			// io's p stays p; the permit moves.
			{"Write", []string{"p1"}, []string{"n", "err"}, true, false, ""},
			{"Read", []string{"p1"}, []string{"n", "err"}, true, false, ""},
		}},
		{"Aliased", []method{
			{"Do", nil, []string{"err"}, true, false, ""},
			{"Named", nil, []string{"n", "e"}, false, false, reasonNoError},
		}},
		{"G", []method{
			// b, p and err are type parameters: the receiver, the
			// permit and the error variable move out of their way.
			{"Get", []string{"k", "v"}, []string{"r0", "r1", "err1"}, true, false, ""},
		}},
	}
	for _, tt := range tests {
		it, err := modelOf(t, modelSrc, tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []method
		for _, m := range it.Methods {
			params := m.Params
			if len(params) == 0 {
				params = nil
			}
			results := m.Results
			if len(results) == 0 {
				results = nil
			}
			got = append(got, method{m.Name, params, results, m.Guarded, m.Context, m.Unguard})
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestModelTypeParams(t *testing.T) {
	it, err := modelOf(t, modelSrc, "G")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tp := range it.TypeParams {
		names = append(names, tp.Name)
	}
	if want := []string{"K", "T1", "b", "p", "err"}; !reflect.DeepEqual(names, want) {
		t.Errorf("type parameters %v, want %v", names, want)
	}
	get := it.Methods[0]
	if it.Recv != "g" || get.Permit != "p1" || get.Results[2] != "err1" {
		t.Errorf("receiver, permit, error = %s, %s, %s; want g, p1, err1", it.Recv, get.Permit, get.Results[2])
	}
}

func TestModelDefinedAndErrors(t *testing.T) {
	d, err := modelOf(t, modelSrc, "D")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Methods) != 11 || d.Methods[0].Name != "Dispatch" || d.Methods[1].Name != "Close" {
		t.Errorf("type D Agent: %d methods, first %s", len(d.Methods), d.Methods[0].Name)
	}
	for name, want := range map[string]string{
		"S":   "S is not an interface",
		"Num": "Num is a constraint interface",
		"Cmp": "Cmp is a constraint interface",
	} {
		_, err := modelOf(t, modelSrc, name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", name, err, want)
		}
	}
}

func TestSkipDirective(t *testing.T) {
	tests := []struct {
		lines []string
		want  bool
	}{
		{nil, false},
		{[]string{"// Ping pings."}, false},
		{[]string{"//breakergen:skip"}, true},
		{[]string{"// Ping pings.", "//breakergen:skip"}, true},
		{[]string{"//breakergen:skip because it is cheap"}, true},
		{[]string{"// breakergen:skip"}, false}, // a directive has no space
		{[]string{"//breakergen:skipped"}, false},
	}
	for _, tt := range tests {
		var doc *ast.CommentGroup
		if tt.lines != nil {
			doc = &ast.CommentGroup{}
			for _, l := range tt.lines {
				doc.List = append(doc.List, &ast.Comment{Text: l})
			}
		}
		if got := hasSkipDirective(doc); got != tt.want {
			t.Errorf("%q: got %v", tt.lines, got)
		}
	}
}

func TestModelLocalNames(t *testing.T) {
	src := `package p

type N interface {
	Fields(next, cb, b string) error
	Locals(err, p string) error
	Two() (err error, last error)
	Plain() error
	Nil(nil int) error
}
`
	it, err := modelOf(t, src, "N")
	if err != nil {
		t.Fatal(err)
	}
	// The receiver and the permit keep their names; the parameters that
	// take them are renamed in their own method only.
	if it.Recv != "b" {
		t.Errorf("receiver %s, want b", it.Recv)
	}
	want := map[string][3]string{ // params, results, permit
		"Fields": {"next cb b1", "err", "p"},
		"Locals": {"err p1", "err1", "p"},
		"Two":    {"", "err last", "p"},
		"Plain":  {"", "err", "p"},
		"Nil":    {"nil1", "err", "p"},
	}
	for _, m := range it.Methods {
		got := [3]string{strings.Join(m.Params, " "), strings.Join(m.Results, " "), m.Permit}
		if got != want[m.Name] {
			t.Errorf("%s: params, results, permit = %q, want %q", m.Name, got, want[m.Name])
		}
	}
}

func TestFresh(t *testing.T) {
	for in, want := range map[string]string{"b": "b2", "x": "x", "p0": "p01"} {
		taken := scope{"b": true, "b1": true, "p0": true}
		if got := taken.fresh(in); got != want || !taken[got] {
			t.Errorf("fresh(%q) = %q, want %q", in, got, want)
		}
	}
}
