package runtime

import (
	"errors"
	"flag"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// memKeys is the number of keys BenchmarkSetMemory holds live: by default
// enough that the Set's own fixed cost disappears in the division, few
// enough for a shared machine. Run it with -benchtime=1x.
var memKeys = flag.Int("memkeys", 100_000, "keys BenchmarkSetMemory holds live")

// BenchmarkSetMemory reports the heap a Set holds per live key (B/key):
// the breaker, its name, the Set's entry and map node, measured as the
// growth of HeapAlloc after a GC while memKeys keys are live. The key
// strings are made beforehand, so they are not counted: the caller holds
// them anyway. "idle" keys were only created; "used" keys also saw one
// success and one failure. "breaker" counts only what a Set allocates for
// a key's breaker: the Breaker and its name.
func BenchmarkSetMemory(b *testing.B) {
	keys := make([]string, *memKeys)
	for i := range keys {
		keys[i] = "agent-" + strconv.Itoa(i)
	}
	for _, used := range []bool{false, true} {
		name := "idle"
		if used {
			name = "used"
		}
		b.Run(name, func(b *testing.B) {
			var perKey float64
			for range b.N {
				perKey = setBytesPerKey(keys, used)
			}
			b.ReportMetric(perKey, "B/key")
		})
	}
	b.Run("breaker", func(b *testing.B) {
		var perKey float64
		for range b.N {
			perKey = breakerBytes(keys)
		}
		b.ReportMetric(perKey, "B/key")
	})
}

// breakerBytes returns the heap a Set's breakers take per key, without
// the Set's map.
func breakerBytes(keys []string) float64 {
	var before, after runtime.MemStats
	s := NewSet("agents")
	held := make([]*Breaker, len(keys))
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, k := range keys {
		held[i] = s.newBreaker(k)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(held)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(keys))
}

// setBytesPerKey fills a Set with keys, calling each key's breaker once if
// used, and returns the heap it grew by per key.
func setBytesPerKey(keys []string, used bool) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewSet("agents")
	for _, k := range keys {
		cb := s.Get(k)
		if used {
			p, _ := cb.Allow()
			p.Done(nil)
			p, _ = cb.Allow()
			p.Done(errBoom)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(keys))
}

// TestSetSharesConfig checks that the breakers of a Set share one
// configuration, clock zero included, except those of keys with options
// of their own, and that a breaker made an hour after its Set times its
// cooldown from its own opening.
func TestSetSharesConfig(t *testing.T) {
	clk := newFakeClock()
	set := NewSet("agents",
		WithBreakerOptions(withClock(clk.Now), WithFailureThreshold(1), WithCooldown(10*time.Second)),
		WithKeyOptions(func(key string) []Option {
			if key == "slow" {
				return []Option{WithCooldown(time.Minute)}
			}
			return nil
		}))
	early := set.Get("early")
	clk.Advance(time.Hour)
	late, slow := set.Get("late"), set.Get("slow")
	if early.cfg != late.cfg || slow.cfg == late.cfg {
		t.Fatalf("configurations: early %p, late %p, slow %p; want early and late the same, slow its own", early.cfg, late.cfg, slow.cfg)
	}
	for _, c := range []struct {
		cb       *Breaker
		cooldown time.Duration
	}{{late, 10 * time.Second}, {slow, time.Minute}} {
		Do(c.cb, func() (int, error) { return 0, errBoom })
		_, err := Do(c.cb, func() (int, error) { return 1, nil })
		var cbe *CircuitBreakerError
		if !errors.As(err, &cbe) || cbe.RetryAfter() != c.cooldown {
			t.Fatalf("%s: after a failure: %v, want a rejection with RetryAfter %v", c.cb.Name(), err, c.cooldown)
		}
	}
	clk.Advance(10 * time.Second)
	if late.Stats().State != HalfOpen || slow.Stats().State != Open || early.Stats().State != Closed {
		t.Fatalf("10s later: late %v, slow %v, early %v; want half-open, open, closed", late.Stats().State, slow.Stats().State, early.Stats().State)
	}
}

// TestTransitionsQueuedOnlyWhenObserved checks that a breaker keeps no
// queue of state changes without observers, and counts its changes all
// the same.
func TestTransitionsQueuedOnlyWhenObserved(t *testing.T) {
	cb := New("quiet", WithFailureThreshold(1))
	if cb.hist != nil {
		t.Fatal("a new breaker has its transition counts or queue")
	}
	Do(cb, func() (int, error) { return 0, errBoom })
	cb.Reset()
	if cb.hist.pending != nil {
		t.Fatal("a breaker without observers queued its state changes")
	}
	if got := cb.Stats().TransitionCounts; got[Closed][Open] != 1 || got[Open][Closed] != 1 {
		t.Fatalf("TransitionCounts = %v, want one closed→open and one open→closed", got)
	}
}
