package generator

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// depFiles is a package of another module whose interfaces use what the
// model takes from source: //breakergen:skip lines, embedded interfaces
// declared in other files, in an order that is not the order of names, a
// generic interface, an alias, an embedded interface literal.
var depFiles = map[string]string{
	"dep/client.go": `// Package dep is a dependency.
package dep

import (
	"context"
	stdio "io"
)

// Client talks to a server.
type Client interface {
	Zeta(ctx context.Context) error
	Base
	//breakergen:skip
	Close() error
	Get(ctx context.Context, key string) (string, error)
	stdio.Writer
}

func helper() int {
	x := map[string]struct{}{"{": {}}
	return len(x) + '}'
}
`,
	"dep/base.go": `package dep

import "context"

// Info is what a server says about itself.
type Info struct{ Version string }

type Base interface {
	Ping(ctx context.Context) error
	Info() (Info, error)
	//breakergen:skip
	Alpha()
}

var defaultInfo = Info{Version: "1"}
`,
	"dep/more.go": `package dep

type Store[K comparable, V any] interface {
	Load(key K) (V, error)
	Delete(key K) error
}

type Alias = Base

type Lit interface {
	interface {
		Do() error
		Begin() error
	}
	Name() string
}

type NotAnInterface struct{}
`,
	"dep/oneline.go": `package dep

type OneA interface{ M() error }; type OneB interface{ N() error }
`,
}

// TestLoadExport checks that a package of another module loaded from its
// export data gives the wrappers, positions and errors that loading it
// from source gives. Two interfaces declared on one line, which export
// data cannot tell apart, are loaded from source.
func TestLoadExport(t *testing.T) {
	mod := testmod.WriteModule(t, depFiles)
	app := testmod.WriteDependent(t, mod, map[string]string{"w/doc.go": "package w\n\nimport _ \"example.com/m/dep\"\n"})
	for _, types := range [][]string{{"Client"}, {"Store", "Alias"}, {"Lit"}, {"NotAnInterface"}, {"OneA"}, {"OneA", "OneB"}} {
		cfg := &Config{Types: types, Patterns: []string{"example.com/m/dep"}, Dir: filepath.Join(app, "w")}
		q, req := &load.Query{Dir: cfg.Dir, Patterns: cfg.Patterns, Types: types}, cfg.request()
		fromExport, err := load.Load(q)
		if want := !slices.Equal(types, []string{"OneA", "OneB"}); err != nil || fromExport.FromExport != want {
			t.Fatalf("%v: load.Load used export data: %v, want %v (error %v)", types, fromExport != nil && fromExport.FromExport, want, err)
		}
		fromSource, err := load.Source(q)
		if err != nil {
			t.Fatal(err)
		}
		for i, obj := range fromSource.Objs {
			got, want := fromExport.Pkg.Fset.Position(fromExport.Objs[i].Pos()).String(), fromSource.Pkg.Fset.Position(obj.Pos()).String()
			if got != want {
				t.Errorf("%s: position %s from export data, %s from source", obj.Name(), got, want)
			}
		}
		gotErr := sameFiles(t, req, fromExport, fromSource)
		if types[0] == "NotAnInterface" && gotErr == nil {
			t.Errorf("%v: no error", types)
		}
	}
}

// sameFiles checks that the two targets give the same file, or the same
// error, and returns the error of the first.
func sameFiles(t *testing.T, req *request, fromExport, fromSource *load.Target) error {
	t.Helper()
	header := func(tg *load.Target) func(*output.File) string {
		return func(out *output.File) string { return typeHeader(req, tg, out) }
	}
	got, gotErr := generate(req, fromExport, "", header(fromExport))
	want, wantErr := generate(req, fromSource, "", header(fromSource))
	switch {
	case gotErr != nil || wantErr != nil:
		if gotErr == nil || wantErr == nil || gotErr.Error() != wantErr.Error() {
			t.Errorf("%v: error %v from export data, %v from source", req.types, gotErr, wantErr)
		}
	case string(got.src) != string(want.src) || got.dest != want.dest:
		t.Errorf("%v: from export data, %s:\n%s\nfrom source, %s:\n%s", req.types, got.dest, got.src, want.dest, want.src)
	}
	return gotErr
}
