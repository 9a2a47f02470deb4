package generator

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/emit"
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// largeInterface declares Big, an interface of n methods of several
// shapes, the size of large real clients (go-redis's Cmdable has 618).
func largeInterface(n int) string {
	var b strings.Builder
	b.WriteString("package big\n\nimport \"context\"\n\ntype Item struct{ K, V string }\n\ntype Option func(*Item)\n\ntype Cmd struct{ Err error }\n\ntype Big interface {\n")
	types := []string{"int", "string", "[]byte", "map[string]int", "*Item", "context.Context"}
	for i := range n {
		a, r := types[i%len(types)], types[(i*3+1)%len(types)]
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "\tM%d(ctx context.Context, a %s, opts ...Option) (%s, error)\n", i, a, r)
		case 1:
			fmt.Fprintf(&b, "\tM%d(key string, v %s) error\n", i, a)
		case 2:
			fmt.Fprintf(&b, "\tM%d() %s\n", i, r)
		case 3:
			fmt.Fprintf(&b, "\tM%d(ctx context.Context, items []*Item) (int64, %s, error)\n", i, r)
		default:
			fmt.Fprintf(&b, "\tM%d(ctx context.Context) *Cmd\n", i)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkRunLarge generates the wrapper of an interface of 640 methods
// declared in the package itself (src=local) and in a dependency module
// reached through a replace directive, into the package of the current
// directory (src=dependency). Compare with benchstat -col /src.
func BenchmarkRunLarge(b *testing.B) {
	mod := testmod.WriteModule(b, map[string]string{"big/big.go": largeInterface(640)})
	app := testmod.WriteDependent(b, mod, map[string]string{"w/doc.go": "package w\n"})
	for _, bm := range []struct {
		src string
		cfg Config
	}{
		{"local", Config{Types: []string{"Big"}, Dir: filepath.Join(mod, "big")}},
		{"dependency", Config{Types: []string{"Big"}, Patterns: []string{"example.com/m/big"}, Dir: filepath.Join(app, "w")}},
	} {
		b.Run("src="+bm.src, func(b *testing.B) {
			for b.Loop() {
				if err := Run(bm.cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEmitLarge renders and formats the wrapper of the interface of
// BenchmarkRunLarge from its model, built once: the share of a run that
// is breakergen's own, without the go command.
func BenchmarkEmitLarge(b *testing.B) {
	mod := testmod.WriteModule(b, map[string]string{"big/big.go": largeInterface(640)})
	cfg := Config{Types: []string{"Big"}, Dir: filepath.Join(mod, "big")}
	if _, err := cfg.validate(); err != nil {
		b.Fatal(err)
	}
	req := cfg.request()
	t, err := load.Load(&load.Query{Dir: cfg.Dir, Patterns: cfg.Patterns, Types: cfg.Types})
	if err != nil {
		b.Fatal(err)
	}
	out, err := output.For(req.outRequest(), t)
	if err != nil {
		b.Fatal(err)
	}
	file, err := model.NewFile(t, out.Dest, model.Options{PerMethod: req.perMethod, Skip: req.skip})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := emit.File(file); err != nil {
			b.Fatal(err)
		}
	}
}
