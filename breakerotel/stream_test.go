package breakerotel

import (
	"maps"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// use makes n successful calls and one failure through b.
func use(t *testing.T, b *runtime.Breaker, n int) {
	t.Helper()
	for range n {
		succeed(t, b)
	}
	runtime.Do(b, func() (int, error) { return 0, errBoom })
}

// TestCountersContinue takes a breaker name from one breaker to another in
// every way it happens and checks, with a cumulative and a delta reader,
// that no counter goes back, that the deltas add up to the cumulative
// values, and that the name's calls are those of both breakers.
func TestCountersContinue(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, m *Metrics, clk *fakeClock, step func(string)) (breaker string, successes int64)
	}{
		{"set key removed and made again", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			set := runtime.NewSet("agents")
			m.AddSet(set)
			use(t, set.Get("a"), 5)
			step("first breaker")
			set.Remove("a")
			step("no breaker")
			use(t, set.Get("a"), 1)
			return "agents/a", 6
		}},
		{"set key removed and made again within one interval", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			set := runtime.NewSet("agents")
			m.AddSet(set)
			use(t, set.Get("a"), 5)
			step("first breaker")
			set.Remove("a")
			use(t, set.Get("a"), 1)
			return "agents/a", 6
		}},
		{"set key evicted and back", func(t *testing.T, m *Metrics, clk *fakeClock, step func(string)) (string, int64) {
			set := runtime.NewSet("agents", runtime.WithIdleEviction(time.Minute),
				runtime.WithBreakerOptions(breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(10)))
			m.AddSet(set)
			a := set.Get("a")
			use(t, a, 5)
			succeed(t, a) // the failure leaves the consecutive count
			step("first breaker")
			for range 8 {
				clk.Advance(15 * time.Second)
				set.Get("other") // sweeps
			}
			if _, ok := maps.Collect(set.All())["a"]; ok {
				t.Fatal("a was not evicted")
			}
			use(t, set.Get("a"), 1)
			return "agents/a", 7
		}},
		{"single breaker replaced by another of the same name", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			a := runtime.New("x")
			m.Add(a)
			use(t, a, 5)
			step("first breaker")
			m.Remove(a)
			m.Add(runtime.New("x"))
			step("second breaker, no calls")
			return "x", 5
		}},
		{"calls after the last collection count", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			a := runtime.New("x")
			m.Add(a)
			use(t, a, 5)
			step("first breaker")
			use(t, a, 2)
			m.Remove(a)
			b := runtime.New("x")
			m.Add(b)
			use(t, b, 1)
			return "x", 8
		}},
		{"same breaker removed and added back", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			a := runtime.New("x")
			m.Add(a)
			use(t, a, 5)
			step("added")
			m.Remove(a)
			step("removed")
			use(t, a, 2)
			m.Add(a)
			return "x", 7
		}},
		{"duplicate names take turns", func(t *testing.T, m *Metrics, _ *fakeClock, step func(string)) (string, int64) {
			set := runtime.NewSet("agents")
			single := set.Get("a")
			use(t, single, 3)
			set.Remove("a")
			m.AddSet(set)
			m.Add(single)
			step("the single breaker")
			use(t, set.Get("a"), 5) // the Set's breaker wins
			step("the Set's breaker")
			set.Remove("a")
			step("the single breaker again")
			use(t, single, 1)
			// Each breaker's calls count once.
			return "agents/a", 4 + 5
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			m, cum, delta := newReaders(t)
			m.now = clk.Now
			step := func(s string) {
				t.Helper()
				mustCollect(t, s, cum, delta)
				clk.Advance(time.Minute)
			}
			breaker, want := tc.run(t, m, clk, step)
			step("end")
			step("later")
			for _, c := range []*counterCheck{cum, delta} {
				if got := c.successes(breaker); got != want {
					t.Errorf("delta=%v: %s has %d successes, want %d", c.delta, breaker, got, want)
				}
			}
		})
	}
}

// TestReadersOfOtherIntervals has a cumulative reader collect every minute
// and a delta reader every five while a Set key goes and comes back: the
// delta reader, which never saw the name go, reports only the new calls.
func TestReadersOfOtherIntervals(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, cum, delta := newReaders(t)
	m.now = clk.Now
	set := runtime.NewSet("agents")
	m.AddSet(set)
	use(t, set.Get("a"), 5)
	mustCollect(t, "both", cum, delta)
	set.Remove("a")
	for i := range 4 {
		clk.Advance(time.Minute)
		mustCollect(t, "cumulative, no breaker", cum)
		if i == 2 {
			use(t, set.Get("a"), 2)
		}
	}
	clk.Advance(time.Minute)
	mustCollect(t, "both again", cum, delta)
	if got := delta.successes("agents/a"); got != 7 {
		t.Fatalf("deltas add up to %d successes, want 7", got)
	}
}

// TestCountersAfterRetention checks that a name no collection saw for
// longer than retention is forgotten: when it comes back, a delta reader
// reports the new breaker's calls, and a cumulative one its count, a reset.
func TestCountersAfterRetention(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, cum, delta := newReaders(t)
	m.now = clk.Now
	set := runtime.NewSet("agents")
	m.AddSet(set)
	use(t, set.Get("a"), 5)
	mustCollect(t, "first breaker", cum, delta)
	set.Remove("a")
	for range 3 {
		clk.Advance(retention / 2)
		mustCollect(t, "no breaker", delta)
	}
	if n := len(m.streams); n != 0 {
		t.Fatalf("%d names kept after retention, want 0", n)
	}
	use(t, set.Get("a"), 1)
	mustCollect(t, "second breaker", delta)
	if got := delta.successes("agents/a"); got != 5+1 {
		t.Fatalf("deltas add up to %d successes, want 6", got)
	}
	if got := successes(t, collect(t, cum.reader)["breaker.calls"]); got != 1 {
		t.Fatalf("cumulative: %d successes, want 1", got)
	}
}

// TestEarlierBreakersForgotten checks that a name forgets the breakers that
// held it once the garbage collector has taken them, as they cannot come
// back, and keeps their counts.
func TestEarlierBreakersForgotten(t *testing.T) {
	m, cum, delta := newReaders(t)
	add := func() *runtime.Breaker {
		b := runtime.New("x")
		m.Add(b)
		use(t, b, 2)
		return b
	}
	first := add()
	mustCollect(t, "first breaker", cum, delta)
	m.Remove(first)
	mustCollect(t, "no breaker", cum, delta) // retires the first
	second := add()
	mustCollect(t, "second breaker", cum, delta)
	m.Remove(second)
	last := add() // replaces the second within an interval
	mustCollect(t, "third breaker", cum, delta)
	goruntime.GC()
	m.Remove(last)
	mustCollect(t, "no breaker again", cum, delta)
	goruntime.GC()
	mustCollect(t, "after the GC", cum, delta)
	m.mu.Lock()
	n := len(m.streams["x"].earlier)
	m.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d earlier breakers kept after the GC, want 0", n)
	}
	if got := cum.successes("x"); got != 2+2+2 {
		t.Fatalf("%d successes, want 6", got)
	}
}
