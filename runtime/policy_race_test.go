package runtime

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The tests here hammer breakers configured with one policy each from many
// goroutines, on fake clocks; run them with -race. Each checks invariants
// that hold however the goroutines interleave.

const (
	policyGoroutines = 200
	policyCalls      = 100
)

// policyTally counts what the goroutines of a hammer saw.
type policyTally struct {
	attempts, admitted, rejected atomic.Uint64
	successes, failures, ignored atomic.Uint64
}

// call makes one call through cb reporting o (see policyErr), counting it;
// before reports, if not nil, runs between Allow and Done.
func (c *policyTally) call(t *testing.T, cb *Breaker, o byte, before func()) (admitted bool) {
	c.attempts.Add(1)
	p, err := cb.Allow()
	if err != nil {
		if !errors.Is(err, ErrOpen) {
			t.Errorf("Allow: %v", err)
		}
		c.rejected.Add(1)
		return false
	}
	c.admitted.Add(1)
	if before != nil {
		before()
	}
	switch o {
	case 'S':
		c.successes.Add(1)
	case 'F':
		c.failures.Add(1)
	case 'I':
		c.ignored.Add(1)
	}
	p.Done(policyErr(o))
	return true
}

// check verifies that the breaker's counters add up with what the
// goroutines saw.
func (c *policyTally) check(t *testing.T, s Stats) {
	t.Helper()
	if c.admitted.Load()+c.rejected.Load() != c.attempts.Load() {
		t.Errorf("admitted %d + rejected %d != attempts %d", c.admitted.Load(), c.rejected.Load(), c.attempts.Load())
	}
	if c.successes.Load()+c.failures.Load()+c.ignored.Load() != c.admitted.Load() {
		t.Errorf("reported %d+%d+%d != admitted %d", c.successes.Load(), c.failures.Load(), c.ignored.Load(), c.admitted.Load())
	}
	if s.Totals[Success] != c.successes.Load() || s.Totals[Failure] != c.failures.Load() || s.TotalRejected != c.rejected.Load() {
		t.Errorf("Stats totals %d successes, %d failures, %d rejected; the goroutines saw %d, %d, %d",
			s.Totals[Success], s.Totals[Failure], s.TotalRejected, c.successes.Load(), c.failures.Load(), c.rejected.Load())
	}
	if s.Totals[Success]+s.Totals[Failure]+s.TotalRejected+c.ignored.Load() != c.attempts.Load() {
		t.Errorf("successes+failures+rejected+ignored = %d, want the %d calls", s.Totals[Success]+s.Totals[Failure]+s.TotalRejected+c.ignored.Load(), c.attempts.Load())
	}
}

// policyCheckStats checks the invariants of one Stats snapshot.
func policyCheckStats(t *testing.T, s Stats, maxWindow int) {
	if s.WindowCalls < 0 || maxWindow > 0 && s.WindowCalls > maxWindow {
		t.Errorf("WindowCalls %d, want at most %d", s.WindowCalls, maxWindow)
	}
	if !(s.FailureRate >= 0 && s.FailureRate <= 1 && s.SlowRate >= 0 && s.SlowRate <= 1) {
		t.Errorf("rates out of [0, 1]: %+v", s)
	}
	if s.WindowCalls == 0 && (s.FailureRate != 0 || s.SlowRate != 0) {
		t.Errorf("rates of an empty window: %+v", s)
	}
	if s.TotalSlow > s.Totals[Success] {
		t.Errorf("TotalSlow %d > Totals[Success] %d", s.TotalSlow, s.Totals[Success])
	}
	if s.State != Open && s.RetryAfter != 0 || s.RetryAfter < 0 {
		t.Errorf("state %v with RetryAfter %v", s.State, s.RetryAfter)
	}
}

// TestPolicyRaceFailureRateNeverOpens: with a failure rate of 1.0 and no
// failures the circuit never opens, however many calls race, and the
// window never holds more than LastN's n.
func TestPolicyRaceFailureRateNeverOpens(t *testing.T) {
	for _, win := range []Window{LastN(64), Over(time.Second, 10)} {
		t.Run(win.describe(), func(t *testing.T) {
			clk := newFakeClock()
			hook := &policyHook{}
			cb := New("race", withClock(clk.Now), WithFailureRate(1, win, 1), hook.option())
			var c policyTally
			hammer(policyGoroutines, func(g int) {
				for i := range policyCalls {
					o := byte('S')
					if (g+i)%7 == 0 {
						o = 'I'
					}
					c.call(t, cb, o, func() {
						if g%20 == 0 {
							clk.Advance(time.Millisecond)
						}
					})
					if g%50 == 0 {
						s := cb.Stats()
						policyCheckStats(t, s, win.n)
						if s.State != Closed || s.FailureRate != 0 {
							t.Errorf("state %v, failure rate %v", s.State, s.FailureRate)
						}
					}
				}
			})
			s := cb.Stats()
			c.check(t, s)
			if s.State != Closed || s.transitions() != 0 || hook.String() != "" || c.rejected.Load() != 0 {
				t.Fatalf("the circuit changed state: %+v, changes %q", s, hook.String())
			}
			if win.n > 0 && s.WindowCalls != win.n {
				t.Fatalf("WindowCalls %d, want a full window of %d", s.WindowCalls, win.n)
			}
		})
	}
}

// TestPolicyRaceFailureRateOpensOnce: every call fails; the circuit opens
// exactly once, on the minCalls-th recorded failure, and the failures of
// calls admitted before the opening that report after it are not recorded.
func TestPolicyRaceFailureRateOpensOnce(t *testing.T) {
	for trial := range 10 {
		clk := newFakeClock()
		hook := &policyHook{}
		cb := New("race", withClock(clk.Now), WithCooldown(time.Hour), WithFailureRate(0.5, LastN(20), 20), hook.option())
		var c policyTally
		hammer(policyGoroutines, func(g int) {
			for range 20 {
				c.call(t, cb, 'F', nil)
			}
		})
		s := cb.Stats()
		c.check(t, s)
		if s.State != Open || s.transitions() != 1 || hook.String() != "closed->open" {
			t.Fatalf("trial %d: state %v, %d transitions, changes %q; want one opening", trial, s.State, s.transitions(), hook.String())
		}
		if s.WindowCalls != 20 || s.FailureRate != 1 || s.ConsecutiveFailures != 20 || c.failures.Load() < 20 {
			t.Fatalf("trial %d: WindowCalls %d, FailureRate %v, ConsecutiveFailures %d, %d failures; want 20, 1, 20, >= 20",
				trial, s.WindowCalls, s.FailureRate, s.ConsecutiveFailures, c.failures.Load())
		}
	}
}

// TestPolicyRaceOverWindow mixes outcomes, clock moves, resets and stats
// on a breaker with an Over window: the counters add up, every snapshot is
// consistent, and the state changes form one chain.
func TestPolicyRaceOverWindow(t *testing.T) {
	clk := newFakeClock()
	hook := &policyHook{}
	cb := New("race", withClock(clk.Now), WithCooldown(20*time.Millisecond), WithHalfOpenProbes(3, 3),
		WithFailureRate(0.5, Over(100*time.Millisecond, 10), 10), hook.option())
	var c policyTally
	hammer(policyGoroutines, func(g int) {
		for i := range policyCalls {
			c.call(t, cb, "SFSIF"[(g+i)%5], nil)
			switch {
			case g%25 == 0:
				clk.Advance(time.Millisecond)
			case g == 1 && i%30 == 0:
				cb.Reset()
			case g%10 == 2:
				policyCheckStats(t, cb.Stats(), 0)
				_ = cb.Stats().State
			}
		}
	})
	s := cb.Stats()
	c.check(t, s)
	policyCheckStats(t, s, 0)
	hook.chained(t)
	cb.Reset()
	if s := cb.Stats(); s.WindowCalls != 0 || s.State != Closed {
		t.Fatalf("after Reset: %+v", s)
	}
}

// TestPolicyRaceSlowCalls: every goroutine moves the shared clock past the
// limit between its Allow and its Done, so every success is slow whatever
// the interleaving: TotalSlow equals Totals[Success], the circuit opens,
// and since every probe is slow it never closes again.
func TestPolicyRaceSlowCalls(t *testing.T) {
	const limit = time.Millisecond
	clk := newFakeClock()
	hook := &policyHook{}
	cb := New("race", withClock(clk.Now), WithCooldown(50*time.Millisecond), WithHalfOpenProbes(2, 2),
		WithFailureRate(1, LastN(10), 10), WithSlowCalls(limit, 1), hook.option())
	var c policyTally
	hammer(policyGoroutines, func(g int) {
		for i := range policyCalls {
			c.call(t, cb, 'S', func() { clk.Advance(limit + 1) })
			if g%50 == 0 && i%10 == 0 {
				policyCheckStats(t, cb.Stats(), 10)
			}
		}
	})
	s := cb.Stats()
	c.check(t, s)
	if s.TotalSlow != s.Totals[Success] || s.TotalSlow == 0 {
		t.Fatalf("TotalSlow %d, Totals[Success] %d; want equal, not 0", s.TotalSlow, s.Totals[Success])
	}
	hook.chained(t)
	if hook.count(Closed, Open) != 1 || hook.count(HalfOpen, Closed) != 0 {
		t.Fatalf("changes %q: want one opening and no closing", hook.String())
	}
	if s.FailureRate != 0 || s.ConsecutiveFailures != 0 {
		t.Fatalf("slow successes counted as failures: %+v", s)
	}
}

// TestPolicyRaceSlowCallsFrozenClock: on a clock that does not move no
// call is slow, so even the lowest slow rate never opens the circuit.
func TestPolicyRaceSlowCallsFrozenClock(t *testing.T) {
	clk := newFakeClock()
	cb := New("race", withClock(clk.Now), WithFailureRate(1, LastN(10), 1), WithSlowCalls(1, 0.01))
	var c policyTally
	hammer(policyGoroutines, func(g int) {
		for range policyCalls {
			c.call(t, cb, 'S', nil)
		}
	})
	s := cb.Stats()
	c.check(t, s)
	if s.State != Closed || s.transitions() != 0 || s.TotalSlow != 0 || s.Totals[Success] != policyGoroutines*policyCalls {
		t.Fatalf("%+v", s)
	}
}

// policyLockedRand is a jitter source safe for concurrent use.
func policyLockedRand(seed uint64) func() float64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed))
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64()
	}
}

// TestPolicyRaceBackoff: every call fails while the clock moves, so the
// circuit keeps reopening with a growing cooldown: no rejection ever
// suggests more than the (jittered) max, Stats.Cooldown is always one of
// the values the backoff can produce, and Reset starts it over.
func TestPolicyRaceBackoff(t *testing.T) {
	const cooldown, maxCooldown = time.Millisecond, 64 * time.Millisecond
	for _, jitter := range []float64{0, 0.25} {
		t.Run(fmt.Sprintf("jitter %v", jitter), func(t *testing.T) {
			clk := newFakeClock()
			hook := &policyHook{}
			cb := New("race", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(cooldown),
				WithBackoff(2, maxCooldown, jitter), withRandom(policyLockedRand(7)), hook.option())
			lo := time.Duration(float64(cooldown) * (1 - jitter))
			hi := time.Duration(float64(maxCooldown) * (1 + jitter))
			okCooldown := func(d time.Duration) bool {
				if jitter > 0 {
					return d >= lo && d <= hi
				}
				for c := cooldown; c <= maxCooldown; c *= 2 {
					if d == c {
						return true
					}
				}
				return false
			}
			var c policyTally
			hammer(policyGoroutines, func(g int) {
				for i := range policyCalls {
					c.attempts.Add(1)
					p, err := cb.Allow()
					if err != nil {
						// RetryAfter is rounded up to the millisecond, and
						// zero once another goroutine moved the clock past
						// the end of the cooldown.
						var cbe *CircuitBreakerError
						if !errors.As(err, &cbe) || cbe.RetryAfter() < 0 || cbe.RetryAfter() > hi+time.Millisecond {
							t.Errorf("rejection %v: RetryAfter out of [0, %v]", err, hi)
						}
						c.rejected.Add(1)
					} else {
						c.admitted.Add(1)
						c.failures.Add(1)
						p.Done(errBoom)
					}
					switch {
					case g == 0:
						clk.Advance(500 * time.Microsecond)
					case g%20 == 1 && i%10 == 0:
						s := cb.Stats()
						if !okCooldown(s.Cooldown) {
							t.Errorf("Stats.Cooldown %v is not a backoff value", s.Cooldown)
						}
						if s.State == Open && (s.RetryAfter <= 0 || s.RetryAfter > hi) {
							t.Errorf("Stats.RetryAfter %v out of (0, %v]", s.RetryAfter, hi)
						}
					}
				}
			})
			c.check(t, cb.Stats())
			hook.chained(t)
			if hook.count(HalfOpen, Closed) != 0 {
				t.Fatalf("a failing probe closed the circuit: %q", hook.String())
			}
			// Sequentially now: the backoff reaches max and stays there.
			for range 10 {
				clk.Advance(cb.Stats().RetryAfter)
				policyCall(cb, 'F')
				if d := cb.Stats().Cooldown; !okCooldown(d) {
					t.Fatalf("Cooldown %v is not a backoff value", d)
				}
			}
			if jitter == 0 {
				if d := cb.Stats().Cooldown; d != maxCooldown {
					t.Fatalf("after many reopenings: Cooldown %v, want %v", d, maxCooldown)
				}
			}
			cb.Reset()
			if d := cb.Stats().Cooldown; d != cooldown {
				t.Fatalf("after Reset: Cooldown %v, want %v", d, cooldown)
			}
			policyCall(cb, 'F')
			if d := cb.Stats().Cooldown; d < lo || d > time.Duration(float64(cooldown)*(1+jitter)) {
				t.Fatalf("opening after Reset: Cooldown %v, want about %v", d, cooldown)
			}
		})
	}
}

// TestPolicyRaceHalfOpenMaxWait: probes that hang never wedge the circuit.
// In each wave the hung probes come back late while 200 calls race at the
// deadline: all are rejected as open and the late results are dropped;
// once the cooldown has passed, exactly the allowed number of new probes
// is admitted out of 200 racing calls.
func TestPolicyRaceHalfOpenMaxWait(t *testing.T) {
	const wait, cooldown = 5 * time.Second, time.Second
	for _, probes := range []int{1, 3} {
		for trial := range 5 {
			clk := newFakeClock()
			hook := &policyHook{}
			cb := New("race", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(cooldown),
				WithHalfOpenProbes(probes, probes), WithHalfOpenMaxWait(wait), hook.option())
			policyCall(cb, 'F')
			clk.Advance(cooldown)

			// admitWave races 200 calls and holds the probes admitted.
			admitWave := func(wave int) []*Permit {
				var mu sync.Mutex
				var held []*Permit
				var halfOpen atomic.Int64
				hammer(policyGoroutines, func(int) {
					p, err := allowHeld(cb)
					if err != nil {
						var cbe *CircuitBreakerError
						if errors.As(err, &cbe) && cbe.state == HalfOpen && cbe.RetryAfter() == cooldown {
							halfOpen.Add(1)
						} else {
							t.Errorf("wave %d: %v, want a half-open rejection", wave, err)
						}
						return
					}
					mu.Lock()
					held = append(held, p)
					mu.Unlock()
				})
				if len(held) != probes || halfOpen.Load() != int64(policyGoroutines-probes) {
					t.Fatalf("probes=%d trial %d wave %d: %d admitted, %d rejected; want %d admitted",
						probes, trial, wave, len(held), halfOpen.Load(), probes)
				}
				return held
			}

			const waves = 4
			held := admitWave(0)
			for wave := 1; wave <= waves; wave++ {
				clk.Advance(wait)
				// The deadline: the late probes report while 200 calls race.
				var open atomic.Int64
				hammer(policyGoroutines+len(held), func(g int) {
					if g < len(held) {
						held[g].Done(nil)
						return
					}
					_, err := cb.Allow()
					var cbe *CircuitBreakerError
					if errors.As(err, &cbe) && cbe.state == Open && cbe.RetryAfter() == cooldown {
						open.Add(1)
					} else {
						t.Errorf("wave %d at the deadline: %v, want an open rejection with RetryAfter %v", wave, err, cooldown)
					}
				})
				if open.Load() != policyGoroutines {
					t.Fatalf("wave %d: %d open rejections, want %d", wave, open.Load(), policyGoroutines)
				}
				if s := cb.Stats(); s.State != Open || s.RetryAfter != cooldown {
					t.Fatalf("wave %d: the late probes changed the state: %+v", wave, s)
				}
				clk.Advance(cooldown)
				held = admitWave(wave)
			}
			if n := hook.count(HalfOpen, Open); n != waves {
				t.Fatalf("%d half-open->open changes, want %d: %q", n, waves, hook.String())
			}
			hook.chained(t)
			// Probes that report in time close it.
			for _, p := range held {
				p.Done(nil)
			}
			policyCheckState(t, cb, Closed)
		}
	}
}

// TestPolicyRaceSuccessThreshold: goroutines race for probe slots until
// the circuit closes, each reporting success at once. No more than probes
// are ever in flight; with n >= probes exactly n probes are admitted in
// all (in waves), with n < probes between n and probes.
func TestPolicyRaceSuccessThreshold(t *testing.T) {
	for _, tt := range []struct{ probes, n int }{{1, 1}, {3, 1}, {3, 2}, {3, 3}, {1, 5}, {2, 7}, {5, 20}} {
		for trial := range 5 {
			clk := newFakeClock()
			hook := &policyHook{}
			cb := New("race", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
				WithHalfOpenProbes(tt.probes, tt.probes), withSuccesses(tt.n), hook.option())
			policyCall(cb, 'F')
			clk.Advance(time.Second)

			var admitted, inflight, maxInflight atomic.Int64
			hammer(policyGoroutines, func(int) {
				for spin := 0; cb.Stats().State != Closed; spin++ {
					if spin == 1e6 {
						t.Errorf("probes=%d n=%d: the circuit did not close", tt.probes, tt.n)
						return
					}
					p, err := cb.Allow()
					if err != nil {
						continue
					}
					if stateOf(p.word) == HalfOpen {
						admitted.Add(1)
						cur := inflight.Add(1)
						for {
							m := maxInflight.Load()
							if cur <= m || maxInflight.CompareAndSwap(m, cur) {
								break
							}
						}
						inflight.Add(-1)
					}
					p.Done(nil)
				}
			})
			a, hi := int(admitted.Load()), max(tt.probes, tt.n)
			if tt.n >= tt.probes && a != tt.n || a < tt.n || a > hi {
				t.Fatalf("probes=%d n=%d trial %d: %d probes admitted, want %d (at most %d)", tt.probes, tt.n, trial, a, tt.n, hi)
			}
			if m := maxInflight.Load(); m > int64(tt.probes) {
				t.Fatalf("probes=%d n=%d: %d probes in flight at once", tt.probes, tt.n, m)
			}
			if got, want := hook.String(), "closed->open open->half-open half-open->closed"; got != want {
				t.Fatalf("changes %q, want %q", got, want)
			}
		}
	}
}

// TestPolicyRaceSuccessThresholdWave: 200 calls racing at a half-open
// circuit get exactly probes slots, whatever n; their successes then close
// it or open the next wave.
func TestPolicyRaceSuccessThresholdWave(t *testing.T) {
	for _, tt := range []struct{ probes, n int }{{1, 1}, {3, 1}, {3, 3}, {2, 5}, {4, 6}} {
		clk := newFakeClock()
		cb := New("race", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
			WithHalfOpenProbes(tt.probes, tt.probes), withSuccesses(tt.n))
		policyCall(cb, 'F')
		clk.Advance(time.Second)
		ok := 0
		for wave := 0; ok < tt.n; wave++ {
			var mu sync.Mutex
			var held []*Permit
			hammer(policyGoroutines, func(int) {
				if p, err := allowHeld(cb); err == nil {
					mu.Lock()
					held = append(held, p)
					mu.Unlock()
				}
			})
			if want := min(tt.probes, max(tt.probes, tt.n)-ok); len(held) != want {
				t.Fatalf("probes=%d n=%d wave %d: %d admitted, want %d", tt.probes, tt.n, wave, len(held), want)
			}
			hammer(len(held), func(g int) { held[g].Done(nil) })
			ok += len(held)
			want := HalfOpen
			if ok >= tt.n {
				want = Closed
			}
			if got := cb.Stats().State; got != want {
				t.Fatalf("probes=%d n=%d after %d successes: state %v, want %v", tt.probes, tt.n, ok, got, want)
			}
		}
	}
}

// TestPolicyRaceAllOptions hammers a breaker with every policy at once:
// mixed and slow outcomes, released permits, clock moves, resets, forced
// opens and stats. The counters add up and the changes form one chain.
func TestPolicyRaceAllOptions(t *testing.T) {
	const limit = 2 * time.Millisecond
	clk := newFakeClock()
	hook := &policyHook{}
	cb := New("race", withClock(clk.Now), WithCooldown(5*time.Millisecond), WithHalfOpenProbes(2, 2),
		WithFailureRate(0.5, Over(100*time.Millisecond, 10), 5), WithSlowCalls(limit, 0.5),
		WithBackoff(2, 40*time.Millisecond, 0.1), withRandom(policyLockedRand(3)),
		WithHalfOpenMaxWait(20*time.Millisecond), withSuccesses(3), hook.option())
	var c policyTally
	var released atomic.Uint64
	hammer(policyGoroutines, func(g int) {
		for i := range policyCalls {
			switch k := (g*7 + i) % 11; {
			case k == 0:
				c.attempts.Add(1)
				p, err := cb.Allow()
				if err != nil {
					c.rejected.Add(1)
					break
				}
				c.admitted.Add(1)
				released.Add(1)
				p.Release() // counts as a failure
			case k < 3:
				c.call(t, cb, 'S', func() { clk.Advance(limit + 1) })
			default:
				c.call(t, cb, "SSFIS"[k%5], nil)
			}
			switch {
			case g%40 == 0:
				clk.Advance(time.Millisecond)
			case g == 1 && i == 50:
				cb.ForceOpen()
			case g == 1 && (i == 60 || i == 90):
				cb.Reset()
			case g%10 == 3:
				policyCheckStats(t, cb.Stats(), 0)
				_ = cb.Stats().State
			}
		}
	})
	s := cb.Stats()
	c.failures.Add(released.Load())
	c.check(t, s)
	policyCheckStats(t, s, 0)
	hook.chained(t)
}
