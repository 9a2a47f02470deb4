package redisstore

import (
	"fmt"
	"math/rand/v2"
	"strconv"
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
	// this pattern, and evidence takes a round trip to Redis and a message
	// to act, during which 24 calls a millisecond come. The goroutines
	// are meant to start a 24th of a millisecond apart, but where a sleep
	// under a millisecond takes a whole one (1.1ms on the two-core test
	// hosts) they call in bunches, and a bunch that comes at once passes
	// before any replica can hear of it. So the count varies from trial to
	// trial, even with a store that answers at once (runtime/shared's
	// BenchmarkBusyPatternAtStoreSpeed); BenchmarkBusyPattern measures its
	// distribution. The test asserts only what holds however the calls
	// bunch: each replica lets through its threshold and the calls of its
	// other three goroutines in flight; it logs the count.
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

// BenchmarkBusyPattern runs the busiest pattern of TestClusterWideEvidence
// with sharing, a trial per iteration, back to back or each after the host
// has idled 100ms, and reports the calls that reached the dead dependency
// per trial: the mean, the most in one trial, and the share of trials in
// which more than 20 did. runtime/shared's
// BenchmarkBusyPatternAtStoreSpeed runs the same pattern against a store
// that answers at once: the difference is what Redis adds.
// busyTrials numbers the trials, whose breakers each need a name of
// their own.
var busyTrials atomic.Int64

func BenchmarkBusyPattern(b *testing.B) {
	srv := startRedis(b)
	stores := newStores(b, srv, 6)
	busy := loadPatterns[len(loadPatterns)-1]
	for _, idle := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run(fmt.Sprint("idle=", idle), func(b *testing.B) {
			var total, most, over int64
			for b.Loop() {
				b.StopTimer()
				time.Sleep(idle)
				b.StartTimer()
				n, _ := deadDependency(b, stores, true, fmt.Sprint("busy-", busyTrials.Add(1)), busy.run)
				total, most = total+n, max(most, n)
				if n > 20 {
					over++
				}
			}
			b.ReportMetric(float64(total)/float64(b.N), "calls/trial")
			b.ReportMetric(float64(most), "max-calls")
			b.ReportMetric(float64(over)/float64(b.N), "over-20/trial")
		})
	}
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
					if !share && reached < 6*threshold {
						t.Errorf("share=false trial %d: %d calls reached the dependency, want at least %d, the threshold of each replica", trial, reached, 6*threshold)
					}
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
func deadDependency(t testing.TB, stores []*Store, share bool, name string, run func(func(int), func() bool)) (int64, time.Duration) {
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

// The success that ends a run of failures clears every replica's evidence
// in Redis, as it clears the local count: the failures before it do not
// count toward the next opening.
func TestSuccessClearsTheEvidence(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(threshold), runtime.WithCooldown(time.Minute))
	fails := evidenceIn(t, srv, "agent")
	failInTurn(t, rs, 0, threshold-1, fails)
	call(t, rs[0].cb, false) // replica 0 failed twice: this success ends its run
	eventually(t, time.Second, "the evidence cleared", func() bool { return fails() == 0 })
	failInTurn(t, rs, 1, threshold-1, fails)
	for i, r := range rs {
		if s := r.cb.Stats().State; s != runtime.Closed {
			t.Fatalf("replica %d is %v on failures from before a success", i, s)
		}
	}
	call(t, rs[1].cb, true) // the threshold since the success; 4 of them local
	allState(t, rs, time.Second, runtime.Open)
}

// Evidence lasts a cooldown from the latest report: failures further apart
// than that do not add up to an opening.
func TestEvidenceLapsesAfterACooldown(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(threshold), runtime.WithCooldown(300*time.Millisecond))
	fails := evidenceIn(t, srv, "agent")
	failInTurn(t, rs, 0, threshold-1, fails)
	eventually(t, 2*time.Second, "the evidence lapsed", func() bool { return fails() == 0 })
	failInTurn(t, rs, 1, 1, fails)
	for i, r := range rs {
		if s := r.cb.Stats().State; s != runtime.Closed {
			t.Fatalf("replica %d is %v on evidence older than a cooldown", i, s)
		}
	}
}

// evidenceIn returns a func that reads the failures Redis holds as the
// evidence of the breaker named name.
func evidenceIn(t *testing.T, srv *redisServer, name string) func() int64 {
	c := newClient(t, srv.addr())
	return func() int64 {
		vals, err := c.HVals(t.Context(), testPrefix+":{"+name+"}:fails").Result()
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, v := range vals {
			i, _ := strconv.ParseInt(v, 10, 64)
			n += i
		}
		return n
	}
}

// failInTurn makes n failing calls, on replica from, from+1, ... in turn,
// each once Redis holds the one before.
func failInTurn(t *testing.T, rs []*replica, from, n int, fails func() int64) {
	t.Helper()
	before := fails()
	for i := range n {
		call(t, rs[(from+i)%len(rs)].cb, true)
		eventually(t, time.Second, fmt.Sprintf("%d failures in Redis", before+int64(i)+1), func() bool { return fails() == before+int64(i)+1 })
	}
}
