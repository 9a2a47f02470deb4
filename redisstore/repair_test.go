package redisstore

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// A syncBuffer is a buffer that loggers of several goroutines write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A broken key harms only its breaker: for each kind of value the scripts
// cannot read, planted before the replicas start, the breaker of that
// name logs the repair naming the key and shares again, and a healthy
// breaker on the same Stores shares throughout, never degraded.
func TestBrokenKeyHarmsOnlyItsBreaker(t *testing.T) {
	srv := startRedis(t)
	state, votes, fails := testPrefix+":{bad}:state", testPrefix+":{bad}:votes", testPrefix+":{bad}:fails"
	for _, c := range []struct {
		kind  string
		plant [][]any
		key   string // the key the log names
	}{
		{"wrong type", [][]any{{"SET", state, "open"}}, state},
		{"bad generation", [][]any{{"HSET", state, "s", "open", "f", "0", "g", "x1", "u", "0", "c", "1000", "n", "0", "o", "r9"}}, state},
		{"unknown state", [][]any{{"HSET", state, "s", "ajar", "f", "0", "g", "12", "u", "0", "c", "1000", "n", "0", "o", "r9"}}, state},
		{"field missing", [][]any{{"HSET", state, "s", "open", "g", "12"}}, state},
		{"bad votes", [][]any{{"SET", votes, "r9"}}, votes},
		{"bad evidence", [][]any{{"SET", fails, "3"}}, fails},
	} {
		t.Run(c.kind, func(t *testing.T) {
			srv.do("FLUSHALL")
			for _, cmd := range c.plant {
				if err := srv.do(cmd...); err != nil {
					t.Fatal(err)
				}
			}
			var logs syncBuffer
			stores := newStores(t, srv, 2)
			bad := breakers(stores, "bad", runtime.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			good := breakers(stores, "good")
			waitSubscribed(t, srv.addr(), 2)
			// The bad breaker opens on one replica and the other follows.
			call(t, bad[0], true)
			eventually(t, time.Second, "the bad breaker's opening shared", func() bool { return bad[1].Stats().State == runtime.Open })
			eventually(t, time.Second, "the repair logged", func() bool {
				return strings.Contains(logs.String(), "unreadable shared state") && strings.Contains(logs.String(), c.key)
			})
			good[1].ForceOpen()
			eventually(t, time.Second, "the good breaker's opening shared", func() bool { return good[0].Stats().State == runtime.Open })
			for i, cb := range append(bad, good...) {
				if since := cb.Stats().DegradedSince; !since.IsZero() {
					t.Errorf("breaker %d (%s) degraded since %v", i, cb.Name(), since)
				}
			}
		})
	}
}

// A probe lease that cannot be read (another type), or that has no TTL
// and would stop every probe of the opening it names, planted for the
// current opening: the replica that asks for it deletes it, logs it, and
// probes; a healthy breaker on the same Stores shares throughout, never
// degraded.
func TestBrokenLease(t *testing.T) {
	srv := startRedis(t)
	lease := testPrefix + ":{bad}:lease"
	for _, c := range []struct {
		kind  string
		plant func(gen string) []any
		log   string
	}{
		{"no TTL", func(gen string) []any { return []any{"SET", lease, gen + " ghost"} }, "lease had no TTL"},
		{"wrong type", func(string) []any { return []any{"HSET", lease, "holder", "ghost"} }, "held a hash, not a string"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			srv.do("FLUSHALL")
			var logs syncBuffer
			stores := newStores(t, srv, 2)
			bad := breakers(stores, "bad", runtime.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), runtime.WithCooldown(100*time.Millisecond))
			good := breakers(stores, "good")
			waitSubscribed(t, srv.addr(), 2)
			call(t, bad[0], true)
			eventually(t, time.Second, "the opening shared", func() bool { return bad[1].Stats().State == runtime.Open })
			gen, err := newClient(t, srv.addr()).HGet(t.Context(), testPrefix+":{bad}:state", "g").Result()
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.do(c.plant(gen)...); err != nil {
				t.Fatal(err)
			}
			eventually(t, 3*time.Second, "a probe closes the circuit", func() bool {
				call(t, bad[1], false)
				return bad[0].Stats().State == runtime.Closed && bad[1].Stats().State == runtime.Closed
			})
			if !strings.Contains(logs.String(), c.log) || !strings.Contains(logs.String(), lease) {
				t.Errorf("the repair of the lease is not logged with %q and the key:\n%s", c.log, logs.String())
			}
			good[1].ForceOpen()
			eventually(t, time.Second, "the good breaker's opening shared", func() bool { return good[0].Stats().State == runtime.Open })
			for i, cb := range append(bad, good...) {
				if since := cb.Stats().DegradedSince; !since.IsZero() {
					t.Errorf("breaker %d (%s) degraded since %v", i, cb.Name(), since)
				}
			}
		})
	}
}

// newStores returns the Stores of n replicas, named r0, r1, ..., each with
// its own client.
func newStores(t testing.TB, srv *redisServer, n int) []*Store {
	t.Helper()
	var stores []*Store
	for i := range n {
		s, err := New(newClient(t, srv.addr()), Options{Prefix: testPrefix, Replica: fmt.Sprint("r", i), PingEvery: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores
}

// breakers returns a breaker named name on each Store, with threshold 1.
func breakers(stores []*Store, name string, opts ...runtime.Option) []*runtime.Breaker {
	var cbs []*runtime.Breaker
	for _, s := range stores {
		cbs = append(cbs, runtime.New(name, append([]runtime.Option{shared.WithStore(s), runtime.WithFailureThreshold(1)}, opts...)...))
	}
	return cbs
}
