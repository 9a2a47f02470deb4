package runtime

import (
	"fmt"
	"math/rand/v2"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// raceEnabled is set when the race detector is on (race_test.go), which
// makes the soak too slow to run in full.
var raceEnabled bool

func TestSetKeyOptions(t *testing.T) {
	var asked atomic.Int64
	set := NewSet("agents",
		WithBreakerOptions(WithCooldown(10*time.Second)), WithKeyOptions(func(key string) []Option {
			asked.Add(1)
			if key == "far" {
				return []Option{WithCooldown(time.Minute), WithFailureThreshold(1)}
			}
			return nil
		}))
	far, near := set.Get("far"), set.Get("near")
	set.Get("far")
	if asked.Load() != 2 {
		t.Fatalf("the key options were asked %d times for 2 keys", asked.Load())
	}
	Do(far, func() (int, error) { return 0, errBoom })
	Do(near, func() (int, error) { return 0, errBoom })
	if s := far.Stats(); s.State != Open || s.Cooldown != time.Minute || far.Name() != "agents/far" {
		t.Fatalf("far: %+v; want open after 1 failure, cooldown 1m", s)
	}
	if s := near.Stats(); s.State != Closed || s.Cooldown != 10*time.Second || near.Config().FailureThreshold != defaultFailureThreshold {
		t.Fatalf("near: %+v; want the Set's options", s)
	}
	// A removed key asks again.
	set.Remove("far")
	if set.Get("far").Stats().State != Closed || asked.Load() != 3 {
		t.Fatalf("after Remove: state %v, asked %d times", set.Get("far").Stats().State, asked.Load())
	}
}

func TestSetOptionsMisused(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"a key's options that do not fit", func() {
			NewSet("s", WithKeyOptions(func(string) []Option { return []Option{WithSlowCalls(time.Second, 0.5)} })).Get("k")
		}, "runtime: WithSlowCalls needs the window of WithFailureRate: add WithFailureRate"},
		{"WithIdleEviction(0)", func() { WithIdleEviction(0) }, "runtime: WithIdleEviction(0s): the idle time must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tc.want {
					t.Fatalf("panic %v, want %q", r, tc.want)
				}
			}()
			tc.f()
		})
	}
}

func TestSetRemoveStartsFresh(t *testing.T) {
	set := NewSet("agents", WithBreakerOptions(WithFailureThreshold(1)))
	old := set.Get("a")
	Do(old, func() (int, error) { return 0, errBoom })
	if !set.Remove("a") || set.Remove("a") {
		t.Fatal("Remove did not report the key once")
	}
	fresh := set.Get("a")
	if fresh == old || fresh.Stats().State != Closed || fresh.Stats().Totals[Failure] != 0 {
		t.Fatalf("Get after Remove: %+v, want a fresh closed breaker", fresh.Stats())
	}
	if old.Stats().State != Open {
		t.Fatalf("the removed breaker is %v, want it left open for whoever holds it", old.Stats().State)
	}
}

func TestSetAll(t *testing.T) {
	set := NewSet("p")
	for _, k := range []string{"c", "a", "b"} {
		set.Get(k)
	}
	got := map[string]string{}
	for k, b := range set.All() {
		got[k] = b.Name()
	}
	if len(got) != 3 || got["a"] != "p/a" || got["b"] != "p/b" || got["c"] != "p/c" {
		t.Fatalf("All: %v", got)
	}
	n := 0
	for range set.All() {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("All ran on after break: %d", n)
	}
	if keys := set.keys(); !slices.Equal(keys, []string{"a", "b", "c"}) {
		t.Fatalf("Keys: %v", keys)
	}
}

// TestSetIdleEviction checks which breakers an idle sweep evicts, and when.
func TestSetIdleEviction(t *testing.T) {
	clk := newFakeClock()
	const idle = time.Minute
	set := NewSet("agents",
		WithBreakerOptions(withClock(clk.Now), WithFailureThreshold(3)), WithIdleEviction(idle),
		WithKeyOptions(func(key string) []Option {
			if key == "windowed" {
				return []Option{WithFailureRate(0.5, LastN(10), 5)}
			}
			return nil
		}))
	ok := func() (int, error) { return 1, nil }
	fail := func() (int, error) { return 0, errBoom }
	Do(set.Get("quiet"), ok)
	set.Get("never-used")
	Do(set.Get("counting"), fail) // 1 of 3 failures
	open := set.Get("open")
	open.ForceOpen()
	w := set.Get("windowed")
	Do(w, fail)
	Do(w, ok) // the failure stays in the window, the consecutive count is 0
	halfOpen := set.Get("half-open")
	for range 3 {
		Do(halfOpen, fail)
	}
	held := set.Get("quiet")
	present := func() []string {
		var keys []string
		for k := range set.m.all {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	// Busy is used every 10s; the clock moves in steps of 5s and each
	// step calls Get, which sweeps when one is due.
	var step int
	for at := 5 * time.Second; at <= 3*idle; at += 5 * time.Second {
		clk.Advance(5 * time.Second)
		step++
		if step%2 == 0 {
			Do(set.Get("busy"), ok)
		} else {
			set.Get("busy")
		}
		keys := present()
		switch {
		case at < idle:
			if len(keys) != 7 {
				t.Fatalf("at %v, before the idle time: keys %v", at, keys)
			}
		case at >= idle*3/2:
			want := []string{"busy", "counting", "half-open", "open", "windowed"}
			if !slices.Equal(keys, want) {
				t.Fatalf("at %v: keys %v, want %v", at, keys, want)
			}
		}
	}
	if halfOpen.Stats().State != HalfOpen {
		t.Fatalf("half-open breaker is %v", halfOpen.Stats().State)
	}
	// The evicted breaker still works for whoever holds it; Get starts anew.
	Do(held, ok)
	if s := held.Stats(); s.Totals[Success] != 2 {
		t.Fatalf("held breaker after eviction: %+v", s)
	}
	if b := set.Get("quiet"); b == held || b.Stats().Totals[Success] != 0 {
		t.Fatal("Get after eviction did not start a fresh breaker")
	}
}

// TestSetConcurrentGetRemoveEvictIterate runs Get, Remove, eviction and
// iteration at once from 64 goroutines; run with -race. Each goroutine also
// holds a breaker of its own that the Set evicts while it is held, and
// which keeps counting the goroutine's calls.
func TestSetConcurrentGetRemoveEvictIterate(t *testing.T) {
	clk := newFakeClock()
	set := NewSet("agents", WithBreakerOptions(withClock(clk.Now), WithFailureThreshold(3)), WithIdleEviction(time.Second))
	const goroutines, rounds = 64, 300
	var evictedHeld atomic.Int64
	hammer(goroutines, func(g int) {
		rng := rand.New(rand.NewPCG(uint64(g), 7))
		own := fmt.Sprintf("own-%d", g)
		held := set.Get(own)
		calls := 0
		for i := range rounds {
			key := fmt.Sprintf("k%d", rng.IntN(100))
			switch rng.IntN(8) {
			case 0:
				set.Remove(key)
			case 1:
				for k, b := range set.All() {
					if !strings.HasPrefix(b.Name(), "agents/"+k) {
						t.Errorf("All: key %q with breaker %q", k, b.Name())
					}
				}
			case 2:
				clk.Advance(100 * time.Millisecond)
			case 3:
				for _, b := range set.All() {
					_ = b.Stats()
				}
			default:
				Do(set.Get(key), func() (int, error) {
					if rng.IntN(4) == 0 {
						return 0, errBoom
					}
					return 1, nil
				})
			}
			if i%100 == 0 {
				Do(held, func() (int, error) { return 1, nil })
				calls++
			}
		}
		if set.Get(own) != held {
			evictedHeld.Add(1)
		}
		if s := held.Stats(); s.Totals[Success] != uint64(calls) {
			t.Errorf("goroutine %d: held breaker counted %d of %d calls", g, s.Totals[Success], calls)
		}
	})
	if evictedHeld.Load() == 0 {
		t.Fatal("no held breaker was evicted: the test exercised nothing")
	}
	for k := range set.All() {
		if b := set.Get(k); set.Get(k) != b {
			t.Fatalf("Get(%q) returned two breakers", k)
		}
	}
}

// TestSetMemoryFlat creates and evicts 1,000,000 distinct keys (30,000
// with -short or -race) and checks that the heap in use after the last is
// what it was after the first tenth (10,000 with the smaller soak), within
// the heap's usual wobble: leaking even 16 bytes a key would add 15 MiB.
func TestSetMemoryFlat(t *testing.T) {
	total := 1_000_000
	if testing.Short() || raceEnabled {
		total = 30_000
	}
	const batch = 1000
	clk := newFakeClock()
	set := NewSet("agents", WithBreakerOptions(withClock(clk.Now)), WithIdleEviction(time.Minute))
	heap := func() uint64 {
		goruntime.GC()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	warm := max(total/10, 10*batch) // past the first evictions
	var early uint64
	for i := 0; i < total; i += batch {
		for k := i; k < i+batch; k++ {
			Do(set.Get("agent-"+strconv.Itoa(k)), func() (int, error) { return 1, nil })
		}
		clk.Advance(20 * time.Second) // a key is evicted within 3 or 4 batches
		if i+batch == warm {
			early = heap()
		}
	}
	late := heap()
	live := 0
	for range set.All() {
		live++
	}
	if live > 5*batch {
		t.Fatalf("%d breakers live after the soak, want at most %d", live, 5*batch)
	}
	t.Logf("heap in use after %d keys: %d KiB; after %d: %d KiB; %d live", warm, early>>10, total, late>>10, live)
	if late > early+early/2 {
		t.Fatalf("heap in use grew from %d KiB to %d KiB", early>>10, late>>10)
	}
}
