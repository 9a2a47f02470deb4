package shared

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// With an EvidenceStore, failures count cluster-wide: one threshold in
// total, spread over the replicas, opens every one of them, and one
// failure fewer opens none.
func TestEvidenceOpensEveryReplicaAtOneThresholdInTotal(t *testing.T) {
	rs := newEvidenceReplicas(t, 3, runtime.WithFailureThreshold(5))
	for i := range 4 {
		fail(rs.cbs[i%3])
		eventually(t, "the failure reported", func() bool { return rs.srv.failures("agent") == i+1 })
	}
	for i, cb := range rs.cbs {
		if s := cb.Stats().State; s != runtime.Closed {
			t.Fatalf("replica %d is %v on 4 failures of 5", i, s)
		}
	}
	fail(rs.cbs[1])
	eventually(t, "every replica open", func() bool {
		for _, cb := range rs.cbs {
			if cb.Stats().State != runtime.Open {
				return false
			}
		}
		return true
	})
	for _, tr := range rs.transitions() {
		if tr.To == runtime.Open && tr.Origin != "r1" {
			t.Errorf("an opening from %q, want every replica to adopt r1's: %+v", tr.Origin, tr)
		}
	}
}

// The success that ends a run of failures clears the evidence of every
// replica, as it clears the local count.
func TestEvidenceSuccessClearsEveryReplica(t *testing.T) {
	rs := newEvidenceReplicas(t, 2, runtime.WithFailureThreshold(3))
	fail(rs.cbs[0])
	fail(rs.cbs[1])
	eventually(t, "two failures reported", func() bool { return rs.srv.failures("agent") == 2 })
	succeed(rs.cbs[0])
	eventually(t, "the evidence cleared", func() bool { return rs.srv.failures("agent") == 0 })
	fail(rs.cbs[1])
	fail(rs.cbs[0])
	eventually(t, "two failures reported", func() bool { return rs.srv.failures("agent") == 2 })
	for i, cb := range rs.cbs {
		if s := cb.Stats().State; s != runtime.Closed {
			t.Fatalf("replica %d is %v on evidence from before a success", i, s)
		}
	}
	fail(rs.cbs[0])
	eventually(t, "replica 1 open", func() bool { return rs.cbs[1].Stats().State == runtime.Open })
}

// BenchmarkBusyPatternAtStoreSpeed runs the busiest pattern of
// redisstore's TestClusterWideEvidence (six replicas, four goroutines
// each, one call per millisecond each, threshold 5) against a store that
// answers at once, in process, and reports what redisstore's
// BenchmarkBusyPattern does: it is that benchmark's floor on the same
// host, what is left once Redis takes no time.
// busyTrials numbers the trials, whose breakers each need a name of
// their own.
var busyTrials atomic.Int64

func BenchmarkBusyPatternAtStoreSpeed(b *testing.B) {
	srv := newMemServer(time.Now)
	stores := make([]Store, 6)
	for i := range stores {
		st := srv.client(fmt.Sprint("r", i))
		b.Cleanup(st.Close)
		stores[i] = memEvidence{st}
	}
	for _, idle := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run(fmt.Sprint("idle=", idle), func(b *testing.B) {
			var total, most, over int64
			for b.Loop() {
				b.StopTimer()
				time.Sleep(idle)
				b.StartTimer()
				n := busyTrial(b, stores, fmt.Sprint("agent-", busyTrials.Add(1)))
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

// busyTrial makes a breaker named name on each store, and calls them from
// 24 goroutines, each on replica g%6 once a millisecond, starting a 24th of
// a millisecond apart (time.Sleep may round that up), until every breaker
// is open. It returns how many calls reached the dependency.
func busyTrial(b *testing.B, stores []Store, name string) int64 {
	cbs := make([]*runtime.Breaker, len(stores))
	for i, st := range stores {
		cbs[i] = runtime.New(name, WithStore(st), runtime.WithFailureThreshold(5), runtime.WithCooldown(time.Minute))
	}
	for _, st := range stores {
		if err := Ready(context.Background(), st); err != nil {
			b.Fatal(err)
		}
	}
	allOpen := func() bool {
		for _, cb := range cbs {
			if cb.Stats().State != runtime.Open {
				return false
			}
		}
		return true
	}
	var reached atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(time.Second)
	for g := range 4 * len(cbs) {
		wg.Go(func() {
			time.Sleep(time.Duration(g) * time.Millisecond / 24)
			for !allOpen() && time.Now().Before(deadline) {
				runtime.Do(cbs[g%len(cbs)], func() (int, error) {
					reached.Add(1)
					return 0, errDown
				})
				time.Sleep(time.Millisecond)
			}
		})
	}
	wg.Wait()
	if !allOpen() {
		b.Fatal("not every replica open after 1s")
	}
	return reached.Load()
}
