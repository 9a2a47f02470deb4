package generator

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// A shape is an interface a user can write, in a package of its own.
type shape struct {
	name   string            // also the package directory
	files  map[string]string // in the package directory, or at the module root when the name has a slash
	types  string            // -type
	output string            // -output, relative to the package directory
	tags   []string
	noPM   bool // skip the -per-method variant
}

var shapes = []shape{
	{name: "results", types: "R", files: map[string]string{"r.go": `
import "context"

type R interface {
	One() error
	Two() (int, error)
	Three(ctx context.Context) (a int, b string, err error)
	NamedErr() (n int, e error)
	Unnamed(int, string) (int, string, error)
	None()
	NoError() (int, string)
}
`}},
	{name: "names", types: "N", files: map[string]string{"n.go": `
import (
	"context"
	"time"
	rt "runtime"
)

type N interface {
	Recv(b int, p string, err error, next int, cb int) error
	Blank(_ int, _ string, _ context.Context) (_ int, _ error)
	Locals(ctx context.Context, p0 int, _ int, r0 string) (r1 int, err error)
	Results(x int) (p int, b string, r0 bool, err error)
	Pkgs(errors error, time time.Duration, runtime rt.Frame, context context.Context) error
	P(p0, p1, _ int) (r0 int, _ int, err error)
	Err(err error) error
	N(n N) error
}
`}},
	{name: "variadic", types: "V", files: map[string]string{"v.go": `
import "context"

type V interface {
	Log(format string, args ...any)
	Send(ctx context.Context, to string, msgs ...[]byte) (int, error)
	Only(...int) error
}
`}},
	{name: "empty", types: "E", files: map[string]string{"e.go": `
type E interface{}
`}},
	{name: "behave", types: "Agent", files: map[string]string{"a.go": `
import "context"

type Agent interface {
	Dispatch(ctx context.Context, task string) (string, error)
	Status() (string, error)
	Name() string
}
`, "a_test.go": behaveTest}},
	{name: "noerror", types: "NoError", files: map[string]string{"o.go": `
type NoError interface {
	Len() int
	Reset()
	Pair() (int, int)
}
`}},
	{name: "samename", types: "Fetch", files: map[string]string{"f.go": `
type Fetch interface {
	Fetch(url string) ([]byte, error)
	Breaker() int
	Breakers() error
	next() error
	cb() error
}
`}},
	{name: "embedded", types: "Client", files: map[string]string{
		"a.go": `
import (
	"context"

	"example.com/m/embedded/sub"
)

type Base interface {
	Ping(ctx context.Context) error
}

type Client interface {
	Base
	Other
	sub.Sub
	Call(ctx context.Context, req Req) (Resp, error)
	Ping(ctx context.Context) error
}

type Req struct{}
type Resp struct{}
`,
		"b.go": `
import (
	ctx "context"
	"time"
)

type Other interface {
	Wait(c ctx.Context, d time.Duration) error
	Base
}
`,
		"sub/sub.go": `package sub

import "net/url"

type Sub interface {
	Resolve(u *url.URL) (*url.URL, error)
	Name() string
}
`},
	},
	{name: "stdembed", types: "Conn,RC,Both", files: map[string]string{"s.go": `
import (
	"io"
	"net"
)

type Conn interface{ net.Conn }

type RC interface {
	io.ReadCloser
	io.WriteCloser
}

type Both interface {
	io.ReadWriteCloser
	io.Reader
	net.Conn
}
`}},
	{name: "generic", types: "Store,Ord,Num,Meth,Emb,Blank,Names", files: map[string]string{"g.go": `
import (
	"cmp"
	"context"
)

type Store[K comparable, V any] interface {
	Get(ctx context.Context, key K) (V, bool, error)
	Put(key K, value V) error
	Len() int
}

type Ord[T cmp.Ordered] interface {
	Max(a, b T) (T, error)
}

type Number interface{ ~int | ~int64 | ~float64 }

type Num[N Number, S ~[]N] interface {
	Sum(s S) (N, error)
}

type Stringer interface{ String() string }

type Meth[T Stringer, U interface{ ~string; Len() int }] interface {
	Show(t T) (U, error)
}

type Emb[K comparable, V any] interface {
	Store[K, V]
	Ord2
	Keys() ([]K, error)
}

type Ord2 = Ord[int]

type Blank[_ any, T any] interface {
	Do(t T) error
}

type Names[b any, p any, err any, next any, cb any] interface {
	Do(x b, y p, z err, w next, v cb) (b, error)
}
`}},
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

// behaveTest drives the generated wrapper of the behave shape: it passes
// calls, opens after the threshold, rejects without calling, probes after
// the cooldown, ignores failures of canceled calls, counts a panic as a
// failure, and allocates nothing on the closed path.
const behaveTest = `package PKG

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

type fake struct {
	err   error
	calls int
	panic bool
}

func (f *fake) Dispatch(ctx context.Context, task string) (string, error) {
	f.calls++
	if f.panic {
		panic("boom")
	}
	if f.err != nil {
		return "", f.err
	}
	return "done " + task, nil
}

func (f *fake) Status() (string, error) { f.calls++; return "ok", f.err }
func (f *fake) Name() string            { return "fake" }

func TestBehaviour(t *testing.T) {
	now := time.Unix(0, 0)
	opts := []runtime.Option{runtime.WithFailureThreshold(2), runtime.WithCooldown(time.Second), runtime.WithClock(func() time.Time { return now })}
	f := &fake{}
	w := wrap(f, opts)
	ctx := context.Background()
	if got, err := w.Dispatch(ctx, "a"); got != "done a" || err != nil {
		t.Fatalf("Dispatch = %q, %v", got, err)
	}
	// A canceled caller's failure is not the dependency's.
	f.err = errors.New("down")
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := w.Dispatch(canceled, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled Dispatch: %v", err)
	}
	for range 2 {
		w.Dispatch(ctx, "a")
	}
	calls := f.calls
	_, err := w.Dispatch(ctx, "a")
	var cbe *runtime.CircuitBreakerError
	if !errors.As(err, &cbe) || !errors.Is(err, runtime.ErrOpen) || cbe.RetryAfter() <= 0 {
		t.Fatalf("open Dispatch: %v", err)
	}
	if f.calls != calls {
		t.Fatal("the wrapped Dispatch was called while open")
	}
	if w.Name() != "fake" {
		t.Fatal("Name not passed through")
	}
	now = now.Add(time.Second)
	f.err = nil
	if _, err := w.Dispatch(ctx, "probe"); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if _, err := w.Dispatch(ctx, "b"); err != nil {
		t.Fatalf("after probe: %v", err)
	}
	// A panic propagates and counts as a failure.
	f.panic = true
	for range 2 {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v", r)
				}
			}()
			w.Dispatch(ctx, "p")
		}()
	}
	f.panic = false
	if _, err := w.Dispatch(ctx, "a"); !errors.Is(err, runtime.ErrOpen) {
		t.Fatalf("after two panics: %v", err)
	}
}

func TestNoAllocs(t *testing.T) {
	w := wrap(&fake{}, nil)
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { w.Status() }); n != 0 {
		t.Errorf("Status allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { w.Dispatch(ctx, "") }); n > 1 {
		t.Errorf("Dispatch allocates %v times per call, more than the fake", n)
	}
}
`

// TestShapes generates a wrapper for every shape, with one breaker and with
// -per-method, and checks that the module builds and vets.
func TestShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	t.Parallel()
	files := map[string]string{}
	for _, s := range shapes {
		for _, variant := range []string{"", "pm"} {
			if variant == "pm" && s.noPM {
				continue
			}
			dir := s.name + variant
			for name, src := range s.files {
				path := filepath.Join(dir, name)
				src = strings.ReplaceAll(src, "example.com/m/"+s.name, "example.com/m/"+dir)
				if !strings.HasPrefix(strings.TrimSpace(src), "package") && !strings.HasPrefix(src, "//go:build") {
					src = "package " + dir + "\n" + src
				}
				src = strings.ReplaceAll(src, "package PKG\n", "package "+dir+"\n")
				src = strings.ReplaceAll(src, "package "+s.name+"\n", "package "+dir+"\n")
				src = strings.ReplaceAll(src, "package "+s.name+"_test\n", "package "+dir+"_test\n")
				src = strings.ReplaceAll(src, "\t\""+"example.com/m/"+dir+"\"", "\t\"example.com/m/"+dir+"\"")
				files[path] = src
			}
		}
	}
	// The behaviour test constructs the wrapper with one breaker or a set.
	files[filepath.Join("behave", "wrap_test.go")] = "package behave\n\nimport \"github.com/breakergen/breakergen/runtime\"\n\nfunc wrap(f Agent, opts []runtime.Option) *AgentBreaker {\n\treturn NewAgentBreaker(f, runtime.New(\"agent\", opts...))\n}\n"
	files[filepath.Join("behavepm", "wrap_test.go")] = "package behavepm\n\nimport \"github.com/breakergen/breakergen/runtime\"\n\nfunc wrap(f Agent, opts []runtime.Option) *AgentBreaker {\n\treturn NewAgentBreaker(f, runtime.NewSet(\"agent\", runtime.WithBreakerOptions(opts...)))\n}\n"
	mod := testmod.WriteModule(t, files)
	for _, s := range shapes {
		for _, variant := range []string{"", "pm"} {
			if variant == "pm" && s.noPM {
				continue
			}
			dir := filepath.Join(mod, s.name+variant)
			output := s.output
			if variant == "pm" && output != "" {
				output = strings.ReplaceAll(output, "../"+s.name+"wrap", "../"+s.name+"pmwrap")
				output = strings.ReplaceAll(output, "../"+s.name+"/", "../"+s.name+"pm/")
			}
			cfg := Config{Types: strings.Split(s.types, ","), Output: output, Tags: s.tags, PerMethod: variant == "pm", Dir: dir}
			if err := Run(cfg); err != nil {
				t.Errorf("%s%s: %v", s.name, variant, err)
			}
		}
	}
	if t.Failed() {
		return
	}
	// Every generated file is gofmt'd.
	filepath.WalkDir(mod, func(path string, d os.DirEntry, err error) error {
		if strings.HasSuffix(path, "_breaker.go") || strings.HasSuffix(path, "_breaker_test.go") {
			src, _ := os.ReadFile(path)
			if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
				t.Errorf("%s is not gofmt'd: %v", path, err)
			}
		}
		return nil
	})
	// The tags shape's wrapper needs its tag; no other package minds it.
	testmod.Go(t, mod, "vet", "-tags=extra", "./...")
	testmod.Go(t, mod, "test", "./behave", "./behavepm")
}
