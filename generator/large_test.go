package generator

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// TestRunLarge generates the wrapper of an interface of 300 methods, which
// are built on several goroutines while the destination is checked on
// another (run it with -race): the methods come out in the interface's
// order, and the package builds.
func TestRunLarge(t *testing.T) {
	const n = 300
	mod := testmod.WriteModule(t, map[string]string{"big/big.go": largeInterface(n)})
	dir := filepath.Join(mod, "big")
	if err := Run(Config{Types: []string{"Big"}, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "big_breaker.go"))
	if err != nil {
		t.Fatal(err)
	}
	if formatted, err := format.Source(src); err != nil || string(formatted) != string(src) {
		t.Fatalf("the wrapper is not as gofmt leaves it (%v)", err)
	}
	at := -1
	for i := range n {
		next := strings.Index(string(src), fmt.Sprintf("\nfunc (b *BigBreaker) M%d(", i))
		if next <= at {
			t.Fatalf("method M%d at offset %d, after the previous at %d: the methods are out of order", i, next, at)
		}
		at = next
	}
	testmod.Go(t, dir, "vet", ".")
}
