package generator

// A shape is an interface a user can write, in a package of its own.
type shape struct {
	name   string            // also the package directory
	files  map[string]string // in the package directory, or at the module root when the name has a slash
	types  string            // -type
	output string            // -output, relative to the package directory
	tags   []string
	noPM   bool // skip the -per-method variant
}

// shapesA are the shapes of results, names, embedding and generics.
var shapesA = []shape{
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
}
