package generator

// shapesB are the shapes of aliases, type forms, imports, build tags,
// test files and outputs in other packages.
var shapesB = []shape{
	{name: "aliases", types: "A,D,G,Inst", files: map[string]string{"a.go": `
import "context"

type Base interface {
	Get(ctx context.Context, id ID) (Item, Err)
	Put(Item) error
}

type ID = string
type Item = struct{ Name string }
type Err = error
type A = Base
type D Base

type Gen[T any] interface {
	Get(T) (T, error)
}

type G[T any] = Gen[T]
type Inst = Gen[int]
`}},
	{name: "typeforms", types: "T", files: map[string]string{"t.go": `
import (
	"io"
	"unsafe"
)

type T interface {
	Chans(a chan int, b <-chan string, c chan<- error, d chan (<-chan int), e chan<- chan int, f <-chan <-chan int) (chan<- bool, error)
	Funcs(f func(int, ...string) (bool, error), g func() func() int) (func(x int) error, error)
	Maps(m map[string][]*int, n map[[2]int]map[string]struct{}) (map[string]any, error)
	Arrays(a [4]byte, b [0]int, c *[8][2]string) ([16]byte, error)
	Pointers(p *int, pp **string, pr *io.Reader) (*T, error)
	Structs(s struct{ A int; B string "json:\"b\""; io.Reader; c int }, e struct{}) (struct{ X, Y float64 }, error)
	Ifaces(i interface{ Read([]byte) (int, error); io.Closer }, e interface{}, a any) (interface{ M() }, error)
	Unsafe(p unsafe.Pointer, u uintptr) error
	Runes(r rune, b byte, c complex128) (uint8, int32, error)
}
`}},
	{name: "imports", types: "I", files: map[string]string{"i.go": `
import (
	"context"
	mrand "math/rand"
	"math/rand/v2"
	. "net/http"
	tm "time"
	"text/template"
	htemplate "html/template"
)

type I interface {
	Rand(r *mrand.Rand, s *rand.Rand) (rand.Source, error)
	HTTP(ctx context.Context, req *Request) (*Response, error)
	Time(d tm.Duration) (tm.Time, error)
	Tmpl(a *template.Template, b *htemplate.Template) error
}
`}},
	{name: "intern", types: "Svc", files: map[string]string{
		"s.go": `
import "example.com/m/intern/internal/secret"

type Svc interface {
	Open(k secret.Key) (*secret.Box, error)
}
`,
		"internal/secret/secret.go": `package secret

type Key string
type Box struct{ v int }
`}},
	{name: "tags", types: "Tagged", tags: []string{"extra"}, files: map[string]string{
		"t.go": `
type Tagged interface {
	Common() error
	Extra
}
`,
		"extra.go": `//go:build extra

package tags

type Extra interface{ WithTag() error }
`,
		"noextra.go": `//go:build !extra

package tags

type Extra interface{ WithoutTag() error }
`}},
	{name: "intest", types: "Fake", files: map[string]string{
		"x.go": `
type Real struct{}
`,
		"x_test.go": `
import "context"

type Fake interface {
	Do(ctx context.Context, r Real) (Real, error)
}
`}},
	{name: "xtest", types: "XFake", files: map[string]string{
		"x.go": `
type Real struct{}
`,
		"x_test.go": `package xtest_test

import (
	"context"

	xtest "example.com/m/xtest"
)

type XFake interface {
	Do(ctx context.Context, r xtest.Real) (xtest.Real, error)
}
`}},
	{name: "outside", types: "Agent,Generic", output: "../outsidewrap/agent_breaker.go", files: map[string]string{
		"o.go": `
import (
	"context"
	"example.com/m/internal/inner"
)

type Task struct{ ID string }

type Agent interface {
	Dispatch(ctx context.Context, t Task) (inner.Result, error)
	Status() string
}

type Generic[T any] interface {
	Get(T) (Task, error)
}
`,
		"../internal/inner/inner.go": "package inner\n\ntype Result int\n",
	}},
	{name: "outsidenew", types: "Agent", output: "../outsidenew/wrap/agent_breaker.go", files: map[string]string{
		"o.go": `
type Agent interface {
	Dispatch(t Task) (Task, error)
}

type Task int
`,
	}},
	{name: "pkgscope", types: "Agent,Box", files: map[string]string{"a.go": `
import stdcontext "context"

type Agent interface {
	Runtime(ctx stdcontext.Context) (string, error)
	Errors() (int, error)
}

type Box[runtime any] interface {
	Get() (runtime, error)
}
`, "names.go": `
var runtime = "plan9"

type context struct{ id int }

func errors() int { return 0 }
`}},
	{name: "tpimport", types: "Box", files: map[string]string{"b.go": `
import (
	"context"
	"time"
)

type Box[runtime any, context comparable, time any] interface {
	Get(ctx stdctx, d stdtime, k context) (runtime, time, error)
}

type stdctx = context.Context
type stdtime = time.Duration
`}},
	{name: "stdruntime", types: "Frames", files: map[string]string{"f.go": `
import "runtime"

type Frames interface {
	Next(f *runtime.Frames) (runtime.Frame, error)
}
`}},
}
