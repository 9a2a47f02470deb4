package redisstore

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// Probes slower than the probe lease (1s at least) keep it: with 2.5s
// probes and callers on three replicas, exactly WithHalfOpenProbes(n, n)
// probes run cluster-wide, not n more per lease period.
func TestSlowProbeKeepsTheLease(t *testing.T) {
	srv := startRedis(t)
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprint("probes=", n), func(t *testing.T) {
			srv.do("FLUSHALL")
			rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(1), runtime.WithCooldown(100*time.Millisecond),
				runtime.WithHalfOpenProbes(n, n))
			call(t, rs[0].cb, true)
			allState(t, rs, time.Second, runtime.Open)

			const probe = 2500 * time.Millisecond
			var reached atomic.Int64
			stop := callEvery5ms(rs, 4, func() {
				reached.Add(1)
				time.Sleep(probe)
			})
			// The cooldown ends after 100ms; the probes then run 2.5s,
			// past two lease periods.
			time.Sleep(100*time.Millisecond + probe - 200*time.Millisecond)
			got := reached.Load()
			stop()
			if got != int64(n) {
				t.Fatalf("%d probes started while the first %d ran, want %d", got, n, n)
			}
		})
	}
}

// A replica that dies holding the probe lease delays the next probe by
// what was left of its lease, at most one lease (1s): the replicas that
// the lease refused ask again when it runs out. The holder is a process,
// killed while its probe runs, after it renewed the lease once.
func TestDeadLeaseHolder(t *testing.T) {
	srv := startRedis(t)
	// The replicas first: newReplicas waits for exactly 2 subscribers.
	rs := newReplicas(t, srv.addr(), 2, runtime.WithFailureThreshold(1), runtime.WithCooldown(100*time.Millisecond))
	holder := startProc(t, "holder", "REDISSTORE_SHARE=1", "REDISSTORE_ADDR="+srv.addr(),
		"REDISSTORE_THRESHOLD=1", "REDISSTORE_COOLDOWN=100ms")
	waitSubscribed(t, srv.addr(), 3)
	if got := holder.ask("call fail"); got != "reached" {
		t.Fatalf("failing call: %s", got)
	}
	allState(t, rs, time.Second, runtime.Open)
	eventually(t, 2*time.Second, "the holder's probe started", func() bool { return holder.ask("call hang") == "started" })

	// The others call meanwhile, are refused, and probe once the lease
	// is theirs.
	var probed atomic.Int64
	defer callEvery5ms(rs, 4, func() { probed.CompareAndSwap(0, time.Now().UnixNano()) })()
	time.Sleep(400 * time.Millisecond) // past the first renewal, at a third of the lease
	if at := probed.Load(); at != 0 {
		t.Fatal("another replica probed while the holder held the lease")
	}
	holder.cmd.Process.Kill()
	killed := time.Now()
	eventually(t, 3*time.Second, "another replica probes", func() bool { return probed.Load() != 0 })
	after := time.Unix(0, probed.Load()).Sub(killed)
	t.Logf("the next probe started %v after the holder died", after)
	if after > time.Second+200*time.Millisecond {
		t.Errorf("the next probe started %v after the holder died, want within the 1s lease (and 200ms of round trips)", after)
	}
	allState(t, rs, time.Second, runtime.Closed)
}

// callEvery5ms has perReplica goroutines per replica call its breaker
// every 5ms, the call running dependency and succeeding, until the
// returned stop is called; stop waits for the calls in flight.
func callEvery5ms(rs []*replica, perReplica int, dependency func()) (stop func()) {
	var stopped atomic.Bool
	var wg sync.WaitGroup
	for g := range perReplica * len(rs) {
		wg.Go(func() {
			for !stopped.Load() {
				runtime.Do(rs[g%len(rs)].cb, func() (int, error) {
					dependency()
					return 1, nil
				})
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	return func() {
		stopped.Store(true)
		wg.Wait()
	}
}
