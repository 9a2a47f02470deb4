package redisstore

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// Successful calls of a closed breaker send nothing to Redis, failure
// evidence included: over 20,000 successes from four goroutines on each
// of two replicas, INFO commandstats counts no command.
func TestClosedSuccessesSendNothing(t *testing.T) {
	srv := startRedis(t)
	var cbs []*runtime.Breaker
	for i := range 2 {
		// PingEvery is long, so that the subscription's health checks do
		// not land in the count.
		s, err := New(newClient(t, srv.addr()), Options{Prefix: testPrefix, Replica: fmt.Sprint("r", i), PingEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		cbs = append(cbs, runtime.New("agent", shared.WithStore(s), runtime.WithFailureThreshold(threshold)))
	}
	waitSubscribed(t, srv.addr(), 2)
	// A failure, and the success that ends its run, are reported: let
	// them reach Redis before counting.
	fails := evidenceIn(t, srv, "agent")
	failInTurn(t, []*replica{{cb: cbs[0]}}, 0, 1, fails)
	call(t, cbs[0], false)
	eventually(t, time.Second, "the evidence cleared", func() bool { return fails() == 0 })

	before, err := srv.commands()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 2 * 4 {
		wg.Go(func() {
			for range 2500 {
				call(t, cbs[g%2], false)
			}
		})
	}
	wg.Wait()
	time.Sleep(50 * time.Millisecond) // anything sent in the background arrives
	after, err := srv.commands()
	if err != nil {
		t.Fatal(err)
	}
	if n := after - before; n != 0 {
		t.Errorf("20,000 successful calls sent %d commands to Redis, want 0", n)
	}
}
