package shared

import (
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// notComparable is a Store that WithStore refuses.
type notComparable struct {
	*memStore
	_ []int
}

func TestWithStoreBadInput(t *testing.T) {
	for name, f := range map[string]func(){
		"nil":            func() { WithStore(nil) },
		"not comparable": func() { WithStore(notComparable{}) },
		"quorum 0":       func() { WithQuorum(0) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "shared: With") {
					t.Fatalf("recovered %v, want a panic naming the option", r)
				}
			}()
			f()
		})
	}
}

// WithQuorum without WithStore fails when the breaker is built, naming
// both.
func TestWithQuorumNeedsWithStore(t *testing.T) {
	const want = "shared: WithQuorum needs WithStore: the quorum counts the replicas that share a Store; add WithStore or remove WithQuorum"
	for name, f := range map[string]func(){
		"New":    func() { runtime.New("x", WithQuorum(2)) },
		"NewSet": func() { runtime.NewSet("s", runtime.WithBreakerOptions(WithQuorum(2))) },
		"a key's options": func() {
			runtime.NewSet("s", runtime.WithKeyOptions(func(string) []runtime.Option {
				return []runtime.Option{WithQuorum(2)}
			})).Get("k")
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != want {
					t.Fatalf("recovered %v, want %q", r, want)
				}
			}()
			f()
		})
	}
	srv := newMemServer(time.Now)
	st := srv.client("r0")
	defer st.Close()
	runtime.New("x", WithQuorum(2), WithStore(st)) // either order fits
}
