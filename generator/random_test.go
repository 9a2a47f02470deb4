package generator

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// typePool are parameter and result types of random interfaces; K and V
// are type parameters of generic ones.
var typePool = []string{
	"int", "string", "[]byte", "error", "bool", "any", "interface{}",
	"context.Context", "time.Duration", "*time.Time",
	"*T", "T", "A", "[]*T", "map[string]int", "map[T][]A",
	"chan int", "<-chan string", "chan<- error", "chan (<-chan int)",
	"func(int) error", "func(...string) (int, error)", "func()",
	"struct{ A int; B string }", "struct{}", "interface{ M() }",
	"io.Reader", "[3]int", "*[2][2]byte",
	"*mrand.Rand", "rand.Source", "*http.Request",
	"G[int, string]", "G[T, *A]",
}

var genericPool = []string{"K", "V", "[]K", "map[K]V", "G[K, V]", "func(K) V", "*V"}

// namePool are parameter and result names, chosen to collide with the
// generated code's receiver, locals, fields and imports.
var namePool = []string{"_", "b", "p", "err", "next", "cb", "ctx", "time", "rand", "x", "p0", "p1", "r0", "errors", "runtime", "context", "set", "y", "K"}

var embedPool = []string{"io.Closer", "io.Reader", "io.ReadCloser", "Base", "GBase[int]", "fmt.Stringer"}

// randomInterface writes the declaration of one random interface.
func randomInterface(r *rand.Rand, name string) string {
	var b strings.Builder
	generic := r.IntN(3) == 0
	types := typePool
	if generic {
		fmt.Fprintf(&b, "type %s[K comparable, V any] interface {\n", name)
		types = append(append([]string(nil), typePool...), genericPool...)
	} else {
		fmt.Fprintf(&b, "type %s interface {\n", name)
	}
	gbase := generic && r.IntN(2) == 0 // embeds GBase[K], so not GBase[int]
	for range r.IntN(3) {
		e := embedPool[r.IntN(len(embedPool))]
		if !(gbase && e == "GBase[int]") {
			fmt.Fprintf(&b, "\t%s\n", e)
		}
	}
	if gbase {
		b.WriteString("\tGBase[K]\n")
	}
	for m := range r.IntN(6) {
		b.WriteString(randomMethod(r, m, generic, types))
	}
	b.WriteString("}\n")
	return b.String()
}

// randomMethod writes the declaration of method number m of a random
// interface, with parameters and results of the types; generic when the
// interface has the type parameters K and V.
func randomMethod(r *rand.Rand, m int, generic bool, types []string) string {
	used := map[string]bool{}
	pick := func() string {
		for {
			n := namePool[r.IntN(len(namePool))]
			if generic && n == "K" {
				continue // a type parameter
			}
			if n == "_" || !used[n] {
				used[n] = true
				return n
			}
		}
	}
	namedParams, namedResults := r.IntN(2) == 0, r.IntN(2) == 0
	params := randomParams(r, types, namedParams, pick)
	var results []string
	nr := r.IntN(4)
	for i := range nr {
		t := types[r.IntN(len(types))]
		if i == nr-1 && r.IntN(3) > 0 {
			t = "error"
		}
		if namedResults {
			t = pick() + " " + t
		}
		results = append(results, t)
	}
	res := strings.Join(results, ", ")
	if len(results) > 1 || namedResults && len(results) == 1 {
		res = "(" + res + ")"
	}
	doc := ""
	if r.IntN(8) == 0 {
		doc = "\t//breakergen:skip\n"
	}
	return fmt.Sprintf("%s\tM%d(%s) %s\n", doc, m, strings.Join(params, ", "), res)
}

// randomParams are the parameters of a random method, of the types, named
// by pick when named.
func randomParams(r *rand.Rand, types []string, named bool, pick func() string) []string {
	var params []string
	np := r.IntN(4)
	for i := range np {
		t := types[r.IntN(len(types))]
		switch {
		case i == 0 && r.IntN(3) == 0:
			t = "context.Context" // context-aware
		case i == np-1 && r.IntN(4) == 0:
			t = "..." + t
		}
		if named {
			t = pick() + " " + t
		}
		params = append(params, t)
	}
	return params
}

const randomPrelude = `
import (
	"context"
	"fmt"
	"io"
	mrand "math/rand"
	"math/rand/v2"
	"net/http"
	"time"
)

var (
	_ context.Context
	_ fmt.Stringer
	_ io.Reader
	_ *mrand.Rand
	_ rand.Source
	_ *http.Request
	_ time.Duration
)

type T struct{}
type A = T
type G[K comparable, V any] struct{}

type Base interface {
	Ping(ctx context.Context) error
}

type GBase[K comparable] interface {
	Lookup(k K) (int, error)
}
`

// defaultSeed is the seed of TestRandomInterfaces unless -seed or
// BREAKERGEN_SEED picks another: fixed, so that a failure in CI happens
// again on any machine.
const defaultSeed = 1

var randomSeed = flag.Uint64("seed", 0, "seed of TestRandomInterfaces; default $BREAKERGEN_SEED, else 1; \"random\" in BREAKERGEN_SEED picks one from the clock")

// TestRandomInterfaces generates wrappers for random interfaces, in their
// own packages and, without -output, in packages of another module that
// requires theirs, and type-checks them with go vet.
func TestRandomInterfaces(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	t.Parallel()
	seed, err := testSeed(*randomSeed, os.Getenv("BREAKERGEN_SEED"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d: rerun with go test -run TestRandomInterfaces ./generator -seed=%d", seed, seed)
		}
	})
	r := rand.New(rand.NewPCG(seed, seed>>7))
	const packages, perPackage = 4, 12
	files := map[string]string{}
	var names []string
	for i := range perPackage {
		names = append(names, fmt.Sprintf("I%d", i))
	}
	for p := range packages {
		var src strings.Builder
		fmt.Fprintf(&src, "package r%d\n%s\n", p, randomPrelude)
		for _, name := range names {
			src.WriteString(randomInterface(r, name))
		}
		files[fmt.Sprintf("r%d/r.go", p)] = src.String()
	}
	mod := testmod.WriteModule(t, files)
	for p := range packages {
		dir := filepath.Join(mod, fmt.Sprintf("r%d", p))
		cfg := Config{Types: names, PerMethod: p%2 == 1, Dir: dir}
		if err := Run(cfg); err != nil {
			t.Fatalf("r%d (seed %d): %v\n%s", p, seed, err, files[fmt.Sprintf("r%d/r.go", p)])
		}
	}
	testmod.Go(t, mod, "vet", "./...")

	// The same interfaces as another module's: each wrapper goes into the
	// current directory's package, and every name of the interfaces'
	// package is qualified there.
	appFiles := map[string]string{}
	for p := range packages {
		appFiles[fmt.Sprintf("w%d/doc.go", p)] = fmt.Sprintf("package w%d\n", p)
	}
	app := testmod.WriteDependent(t, mod, appFiles)
	for p := range packages {
		pattern := fmt.Sprintf("example.com/m/r%d", p)
		cfg := Config{Types: names, Patterns: []string{pattern}, PerMethod: p%2 == 0, Dir: filepath.Join(app, fmt.Sprintf("w%d", p))}
		if err := Run(cfg); err != nil {
			t.Fatalf("w%d (seed %d): %v\n%s", p, seed, err, files[fmt.Sprintf("r%d/r.go", p)])
		}
		if _, err := os.Stat(filepath.Join(cfg.Dir, "i0_breaker.go")); err != nil {
			t.Fatalf("w%d: %v", p, err)
		}
	}
	testmod.Go(t, app, "vet", "./...")
}

// testSeed is the seed of TestRandomInterfaces: the -seed flag when set,
// else the BREAKERGEN_SEED environment variable (a number, or "random"
// for one from the clock), else defaultSeed.
func testSeed(flagSeed uint64, env string) (uint64, error) {
	switch {
	case flagSeed != 0:
		return flagSeed, nil
	case env == "":
		return defaultSeed, nil
	case env == "random":
		return uint64(time.Now().UnixNano()), nil
	}
	seed, err := strconv.ParseUint(env, 10, 64)
	if err != nil || seed == 0 {
		return 0, fmt.Errorf("BREAKERGEN_SEED=%s: want a positive number or \"random\"", env)
	}
	return seed, nil
}

func TestSeed(t *testing.T) {
	for _, tt := range []struct {
		flag uint64
		env  string
		want uint64
		err  bool
	}{
		{0, "", defaultSeed, false},
		{7, "", 7, false},
		{7, "9", 7, false},
		{0, "9", 9, false},
		{0, "x", 0, true},
		{0, "0", 0, true},
	} {
		got, err := testSeed(tt.flag, tt.env)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("testSeed(%d, %q) = %d, %v; want %d, error %v", tt.flag, tt.env, got, err, tt.want, tt.err)
		}
	}
	if a, _ := testSeed(0, "random"); a == 0 {
		t.Error(`testSeed(0, "random") = 0`)
	}
}
