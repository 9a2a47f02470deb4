package redisstore

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// A loadPattern is how calls reach six replicas: it calls call(replica)
// until done() holds.
type loadPattern struct {
	name  string
	limit int64 // the most calls that may reach the dead dependency, with sharing
	run   func(call func(r int), done func() bool)
}

var loadPatterns = []loadPattern{
	{"one replica at a time, 5 calls each in turn", 10, func(call func(int), done func() bool) {
		for n := 0; !done() && n < 300; n++ {
			call(n / threshold % 6)
			time.Sleep(10 * time.Millisecond)
		}
	}},
	{"one call every 10ms to a random replica", 10, func(call func(int), done func() bool) {
		for n := 0; !done() && n < 300; n++ {
			call(rand.IntN(6))
			time.Sleep(10 * time.Millisecond)
		}
	}},
	{"every replica calls every 10ms", 10, func(call func(int), done func() bool) {
		for n := 0; !done() && n < 300; n++ {
			var wg sync.WaitGroup
			for r := range 6 {
				wg.Go(func() { call(r) })
			}
			wg.Wait()
			time.Sleep(10 * time.Millisecond)
		}
	}},
	// Each replica opens on its own after its fifth failure, 1.25ms into
	// this pattern, and evidence takes a round trip to Redis and a
	// message to act: how much it saves depends on that round trip, under
	// 1ms on a quiet machine, up to 5ms on a loaded one. The test asserts
	// only what holds alone too: each replica lets through its threshold
	// and the calls of its other three goroutines in flight; it logs the
	// count.
	{"every replica, 4 goroutines, one call per ms each", 6 * (threshold + 3), func(call func(int), done func() bool) {
		var wg sync.WaitGroup
		deadline := time.Now().Add(time.Second)
		for g := range 6 * 4 {
			wg.Go(func() {
				// The goroutines of a service do not call in step: each
				// starts at its own point of the first millisecond.
				time.Sleep(time.Duration(g) * time.Millisecond / 24)
				for !done() && time.Now().Before(deadline) {
					call(g % 6)
					time.Sleep(time.Millisecond)
				}
			})
		}
		wg.Wait()
	}},
}

// Six replicas, threshold 5, a dependency that is down: with failure
// evidence shared, about one threshold of calls reaches it in total
// however the calls are spread, and every replica opens within 200ms of
// the first. Without sharing each replica needs five failures of its own.
func TestClusterWideEvidence(t *testing.T) {
	srv := startRedis(t)
	stores := newStores(t, srv, 6)
	for _, p := range loadPatterns {
		t.Run(p.name, func(t *testing.T) {
			for _, share := range []bool{false, true} {
				trials := 1
				if share {
					trials = 5
				}
				for trial := range trials {
					reached, spread := deadDependency(t, stores, share, fmt.Sprintf("%s-%v-%d", p.name, share, trial), p.run)
					t.Logf("share=%v trial %d: %d calls reached the dependency; every replica open %v after the first", share, trial, reached, spread)
					if share && reached > p.limit {
						t.Errorf("share=%v trial %d: %d calls reached the dependency, want at most %d", share, trial, reached, p.limit)
					}
					if share && spread > 200*time.Millisecond {
						t.Errorf("share=%v trial %d: every replica open %v after the first, want within 200ms", share, trial, spread)
					}
				}
			}
		})
	}
}

// deadDependency runs one trial of a load pattern against a dependency
// that fails every call, with a breaker named name on each store (shared
// or not), until every breaker is open. It returns how many calls reached
// the dependency and the time from the first opening to the last.
func deadDependency(t *testing.T, stores []*Store, share bool, name string, run func(func(int), func() bool)) (int64, time.Duration) {
	t.Helper()
	cbs := make([]*runtime.Breaker, len(stores))
	for i, s := range stores {
		opts := []runtime.Option{runtime.WithFailureThreshold(threshold), runtime.WithCooldown(time.Minute)}
		if share {
			opts = append(opts, shared.WithStore(s))
		}
		cbs[i] = runtime.New(name, opts...)
	}
	if share {
		eventually(t, 2*time.Second, "the breakers ready", func() bool {
			for _, s := range stores {
				if shared.Ready(t.Context(), s) != nil {
					return false
				}
			}
			return true
		})
	}
	var reached atomic.Int64
	var first, last atomic.Int64
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() { // notes when the first and the last breaker open
		defer close(watched)
		for {
			open := 0
			for _, cb := range cbs {
				if cb.Stats().State == runtime.Open {
					open++
				}
			}
			now := time.Now().UnixNano()
			if open > 0 {
				first.CompareAndSwap(0, now)
			}
			if open == len(cbs) {
				last.Store(now)
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	done := func() bool { return last.Load() != 0 }
	run(func(r int) {
		runtime.Do(cbs[r], func() (int, error) {
			reached.Add(1)
			return 0, errDown
		})
	}, done)
	close(stop)
	<-watched
	if !done() {
		t.Fatalf("%s: not every replica open", name)
	}
	return reached.Load(), time.Duration(last.Load() - first.Load())
}

// With WithQuorum(2), one sick replica's failures, however many, open
// only itself: the evidence of one replica does not open the others, nor
// do successes elsewhere let it build up.
func TestEvidenceNeedsTheQuorum(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(threshold),
		runtime.WithCooldown(time.Second), shared.WithQuorum(2))
	for range 4 * threshold {
		call(t, rs[0].cb, true)
	}
	if rs[0].cb.Stats().State != runtime.Open {
		t.Fatal("the sick replica did not open")
	}
	time.Sleep(200 * time.Millisecond) // what does not happen has no event to wait for
	for i, r := range rs[1:] {
		if s := r.cb.Stats().State; s != runtime.Closed {
			t.Fatalf("replica %d is %v on one replica's evidence", i+1, s)
		}
	}
	// A second replica's failures complete the evidence.
	call(t, rs[1].cb, true)
	allState(t, rs, time.Second, runtime.Open)
}
