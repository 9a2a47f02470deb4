package emit

import (
	"fmt"
	"go/types"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/breakergen/breakergen/generator/internal/testmod"

	"github.com/dave/jennifer/jen"
)

// renderType renders a type as jennifer formats it in "var x T".
func renderType(c jen.Code) string {
	return strings.TrimPrefix(fmt.Sprintf("%#v", jen.Var().Id("x").Add(c)), "var x ")
}

// renderConstraint renders a constraint as jennifer formats it in
// "func f[T C]()".
func renderConstraint(c jen.Code) string {
	s := fmt.Sprintf("%#v", jen.Func().Id("f").Types(jen.Id("T").Add(c)).Params().Block())
	s = strings.TrimPrefix(s, "func f[T ")
	s = strings.TrimSuffix(s, "]() {}")
	return strings.TrimSuffix(s, "]() {\n}")
}

// renderSignature renders parameters and results as jennifer formats them
// in "type F func...".
func renderSignature(c jen.Code) string {
	return strings.TrimPrefix(fmt.Sprintf("%#v", jen.Type().Id("F").Func().Add(c)), "type F func")
}

func TestTypeCode(t *testing.T) {
	tests := []struct {
		decl string // the type of var x, declared in package example.com/p
		want string
	}{
		{"int", "int"},
		{"byte", "byte"},
		{"rune", "rune"},
		{"uint8", "uint8"},
		{"any", "any"},
		{"interface{}", "interface{}"},
		{"error", "error"},
		{"unsafe.Pointer", "unsafe.Pointer"},
		{"*int", "*int"},
		{"**string", "**string"},
		{"[]byte", "[]byte"},
		{"[4][2]int", "[4][2]int"},
		{"[0]int", "[0]int"},
		{"map[string][]*int", "map[string][]*int"},
		{"map[[2]int]struct{}", "map[[2]int]struct{}"},
		{"chan int", "chan int"},
		{"<-chan int", "<-chan int"},
		{"chan<- int", "chan<- int"},
		{"chan (<-chan int)", "chan (<-chan int)"},
		{"chan<- chan int", "chan<- chan int"},
		{"<-chan <-chan int", "<-chan <-chan int"},
		{"chan<- <-chan int", "chan<- <-chan int"},
		{"func()", "func()"},
		{"func(int, string) error", "func(int, string) error"},
		{"func(a int, b ...string) (bool, error)", "func(int, ...string) (bool, error)"},
		{"func() func() int", "func() func() int"},
		{"struct{}", "struct{}"},
		{"struct{ A int; B string `json:\"b\"` }", "struct {\n\tA int\n\tB string `json:\"b\"`\n}"},
		{"struct{ io.Reader; *T }", "struct {\n\tio.Reader\n\t*T\n}"},
		{"interface{ M() }", "interface {\n\tM()\n}"},
		{"interface{ io.Closer; Read([]byte) (int, error) }", "interface {\n\tio.Closer\n\tRead([]byte) (int, error)\n}"},
		{"T", "T"},
		{"A", "A"},
		{"G[int, string]", "G[int, string]"},
		{"GA[int]", "GA[int]"},
		{"io.Reader", "io.Reader"},
		{"mrand.Rand", "rand.Rand"},
		{"*rand.Rand", "*rand.Rand"},
		{"time.Duration", "time.Duration"},
		{"context.Context", "context.Context"},
	}
	for _, tt := range tests {
		src := fmt.Sprintf(`package p

import (
	"context"
	"io"
	mrand "math/rand"
	"math/rand/v2"
	"time"
	"unsafe"
)

var (
	_ context.Context
	_ io.Reader
	_ mrand.Rand
	_ rand.Rand
	_ time.Duration
	_ unsafe.Pointer
)

type T struct{}
type A = T
type G[K comparable, V any] struct{}
type GA[V any] = G[string, V]

var x %s
`, tt.decl)
		pkg, _ := testmod.CheckSource(t, src)
		typ := pkg.Scope().Lookup("x").Type()
		got := renderType(typeCode(typ, nil))
		// Rendered outside a file, names of the package are qualified
		// with its guessed name.
		got = strings.ReplaceAll(got, "p.", "")
		if got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.decl, got, tt.want)
		}
	}
}

func TestTypeCodeTypeParams(t *testing.T) {
	pkg, _ := testmod.CheckSource(t, `package p

import "cmp"

type Number interface{ ~int | ~float64 }

type I[K comparable, V any, O cmp.Ordered, N Number, S ~[]N, U ~string | int, _ any, M interface{ ~int; String() string }] interface{}
`)
	named := pkg.Scope().Lookup("I").Type().(*types.Named)
	tps := named.TypeParams()
	rename := map[*types.TypeParam]string{tps.At(6): "T6"}
	want := []string{"comparable", "any", "cmp.Ordered", "p.Number", "~[]N", "~string | int", "any", "interface {\n\t~int\n\tString() string\n}"}
	for i := range tps.Len() {
		got := renderConstraint(typeCode(tps.At(i).Constraint(), rename))
		if got != want[i] {
			t.Errorf("constraint %d: got %q, want %q", i, got, want[i])
		}
	}
	if got := renderType(typeCode(tps.At(6), rename)); got != "T6" {
		t.Errorf("renamed type parameter: got %q", got)
	}
}

func TestSignatureCode(t *testing.T) {
	pkg, _ := testmod.CheckSource(t, `package p

type I interface {
	M(a int, b ...string) (int, error)
	N()
	O() error
}
`)
	iface := pkg.Scope().Lookup("I").Type().Underlying().(*types.Interface)
	sig := func(name string) *types.Signature { return model.MethodByName(iface, name).Type().(*types.Signature) }
	tests := []struct {
		sig             *types.Signature
		params, results []string
		want            string
	}{
		{sig("M"), nil, nil, "(int, ...string) (int, error)"},
		{sig("M"), []string{"a", "b"}, nil, "(a int, b ...string) (int, error)"},
		{sig("M"), []string{"a", "b"}, []string{"r0", "err"}, "(a int, b ...string) (r0 int, err error)"},
		{sig("N"), nil, nil, "()"},
		{sig("O"), nil, nil, "() error"},
		{sig("O"), nil, []string{"err"}, "() (err error)"},
	}
	for _, tt := range tests {
		if got := renderSignature(signatureCode(tt.sig, tt.params, tt.results, nil)); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
