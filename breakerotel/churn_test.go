package breakerotel

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestConcurrentChurn collects with a cumulative and a delta reader, each on
// its own goroutine, while Set keys are removed and made again, evicted and
// made again, and called; run with -race. No counter may go back, and once
// the churn stops the deltas add up to the cumulative values.
func TestConcurrentChurn(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, cum, delta := newReaders(t)
	m.now = clk.Now
	c := &churner{t: t, clk: clk, set: runtime.NewSet("agents", runtime.WithIdleEviction(time.Second),
		runtime.WithBreakerOptions(breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(1000)))}
	m.AddSet(c.set)
	stop := c.startCollectors(cum, delta)
	var churn sync.WaitGroup
	churn.Go(c.callRemoved)
	churn.Go(c.remove)
	churn.Go(c.callEvicted)
	churn.Wait()
	stop()
	if t.Failed() {
		return
	}
	if c.evicted.Load() == 0 {
		t.Fatal("no key was evicted: the test exercised nothing")
	}
	mustCollect(t, "after the churn", cum, delta)
	var total int64
	for key, v := range cum.values {
		if strings.Contains(key, "outcome=success") {
			total += v
		}
	}
	if total == 0 || total > c.made.Load() {
		t.Fatalf("%d successes reported, %d calls made", total, c.made.Load())
	}
}

// churner changes the keys of a Set for TestConcurrentChurn.
type churner struct {
	t           *testing.T
	clk         *fakeClock
	set         *runtime.Set
	collections atomic.Int64 // made by the collectors
	made        atomic.Int64 // calls
	evicted     atomic.Int64 // keys found evicted
}

const churnRounds = 1000

// startCollectors collects with each check on a goroutine of its own, in a
// loop, until the function it returns is called.
func (c *churner) startCollectors(checks ...*counterCheck) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, check := range checks {
		wg.Go(func() {
			for {
				if err := check.collect(); err != nil {
					c.t.Errorf("delta=%v: %v", check.delta, err)
					return
				}
				c.collections.Add(1)
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	return func() { close(done); wg.Wait() }
}

// pace lets both readers collect every 20 rounds, so that collections fall
// between the changes; it gives up if a collector has stopped.
func (c *churner) pace(round int) {
	if round%20 != 0 {
		return
	}
	for want := c.collections.Load() + 2; c.collections.Load() < want && !c.t.Failed(); {
		goruntime.Gosched()
	}
}

func (c *churner) call(b *runtime.Breaker) {
	runtime.Do(b, func() (int, error) { return 1, nil })
	c.made.Add(1)
}

// callRemoved calls the keys remove removes.
func (c *churner) callRemoved() {
	for i := range churnRounds {
		c.call(c.set.Get(fmt.Sprintf("r%d", i%10)))
		c.pace(i)
	}
}

func (c *churner) remove() {
	for i := range churnRounds {
		c.set.Remove(fmt.Sprintf("r%d", (i*7)%10))
		c.pace(i)
	}
}

// callEvicted calls keys in turn, leaving the others idle long enough to
// be evicted, and counts the keys it finds evicted.
func (c *churner) callEvicted() {
	seen := map[string]*runtime.Breaker{}
	for i := range churnRounds {
		key := fmt.Sprintf("e%d", (i/100)%4)
		b := c.set.Get(key)
		if prev := seen[key]; prev != nil && prev != b {
			c.evicted.Add(1)
		}
		seen[key] = b
		c.call(b)
		c.clk.Advance(50 * time.Millisecond)
		c.pace(i)
	}
}

// TestConcurrentCollect collects while 100 goroutines make calls; run with
// -race.
func TestConcurrentCollect(t *testing.T) {
	m, reader := setup(t)
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithFailureThreshold(3), runtime.WithCooldown(time.Millisecond)))
	m.AddSet(agents)
	const goroutines, n = 100, 200
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
				var rm metricdata.ResourceMetrics
				if err := reader.Collect(context.Background(), &rm); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	var callers sync.WaitGroup
	for g := range goroutines {
		callers.Go(func() {
			for i := range n {
				runtime.Do(agents.Get(fmt.Sprintf("agent-%d", (g+i)%10)), func() (int, error) {
					if (g+i)%5 == 0 {
						return 0, errBoom
					}
					return 1, nil
				})
			}
		})
	}
	callers.Wait()
	close(done)
	wg.Wait()
	var total int64
	for _, p := range collect(t, reader)["breaker.calls"].Data.(metricdata.Sum[int64]).DataPoints {
		total += p.Value
	}
	if total != goroutines*n {
		t.Fatalf("breaker.calls adds up to %d, want %d", total, goroutines*n)
	}
}
