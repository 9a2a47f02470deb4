package redisstore

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// A probe slower than the probe lease (1s at least) keeps it: with a
// 2.5s probe and callers on three replicas, one probe runs cluster-wide,
// not one per lease period.
func TestSlowProbeKeepsTheLease(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(1), runtime.WithCooldown(100*time.Millisecond))
	call(t, rs[0].cb, true)
	allState(t, rs, time.Second, runtime.Open)

	const probe = 2500 * time.Millisecond
	var reached atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range 3 * 4 {
		wg.Go(func() {
			for !stop.Load() {
				runtime.Do(rs[g%3].cb, func() (int, error) {
					reached.Add(1)
					time.Sleep(probe)
					return 1, nil
				})
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	// The cooldown ends after 100ms; the probe then runs 2.5s, past two
	// lease periods.
	time.Sleep(100*time.Millisecond + probe - 200*time.Millisecond)
	got := reached.Load()
	stop.Store(true)
	wg.Wait()
	if got != 1 {
		t.Fatalf("%d probes started while the first ran, want 1", got)
	}
}
