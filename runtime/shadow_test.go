package runtime

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestShadowMatchesEnforced runs the same random sequences of calls, results,
// time and operator actions on an enforcing breaker and on a shadow one,
// each checked against the model after every step: the shadow breaker
// reaches the same states through the same transitions, admits every call,
// and counts as shadow rejections exactly the enforcing breaker's
// rejections.
func TestShadowMatchesEnforced(t *testing.T) {
	trials := 1000
	if testing.Short() {
		trials = 150
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var transitions, rejections int
	for range trials {
		threshold, probes, policy := uint8(rng.IntN(4)), uint8(rng.IntN(3)), rng.Uint32()
		if rng.IntN(3) == 0 {
			policy &^= polPolicies
		}
		ops := randomOps(rng, 200)
		_, enforced, failure := runModel(threshold, probes, policy, ops, false, nil)
		if failure != "" {
			t.Fatalf("enforcing (%d, %d, %#x, %#v): %s", threshold, probes, policy, ops, failure)
		}
		events, shadowed, failure := runModel(threshold, probes, policy, ops, true, nil)
		if failure != "" {
			t.Fatalf("shadow (%d, %d, %#x, %#v): %s", threshold, probes, policy, ops, failure)
		}
		if !slices.Equal(shadowed, enforced) {
			t.Fatalf("(%d, %d, %#x, %#v): transitions in shadow %v, enforcing %v", threshold, probes, policy, ops, shadowed, enforced)
		}
		transitions += len(enforced)
		rejections += events["rejected: open"] + events["rejected: half-open"] + events["rejected: forced open"]
	}
	if transitions == 0 || rejections == 0 {
		t.Fatalf("the runs made %d transitions and %d rejections: they test nothing", transitions, rejections)
	}
}

// TestShadowCallsReachDependency checks that a shadow breaker lets every
// call through, also from many goroutines while it opens and probes, and
// that the results of the calls it would have rejected do not count.
func TestShadowCallsReachDependency(t *testing.T) {
	clk := newFakeClock()
	var changes atomic.Int64
	cb := New("shadow", WithShadow(), withClock(clk.Now), WithFailureThreshold(3),
		WithOnTransition(func(Transition) { changes.Add(1) }))
	var reached, succeeded, failed atomic.Uint64
	var down atomic.Bool // the dependency fails every call while down
	hammer(8, func(g int) {
		for i := range 2000 {
			if g == 0 && i%100 == 0 {
				down.Store(!down.Load())
			}
			_, err := Do(cb, func() (int, error) {
				reached.Add(1)
				if down.Load() {
					failed.Add(1)
					return 0, errBoom
				}
				succeeded.Add(1)
				return 1, nil
			})
			if errors.Is(err, ErrOpen) {
				t.Errorf("shadow breaker rejected a call: %v", err)
				return
			}
			if g == 0 && i%200 == 0 {
				clk.Advance(defaultCooldown)
			}
		}
	})
	if reached.Load() != 8*2000 {
		t.Fatalf("%d of %d calls reached the dependency", reached.Load(), 8*2000)
	}
	s := cb.Stats()
	if s.TotalRejected == 0 || changes.Load() == 0 || s.transitions() != uint64(changes.Load()) {
		t.Fatalf("stats %+v after %d reported changes; want shadow rejections and transitions", s, changes.Load())
	}
	// Each call either counted its result or was a shadow rejection.
	if got := s.Totals[Success] + s.Totals[Failure] + s.TotalRejected; got != reached.Load() {
		t.Fatalf("successes %d + failures %d + shadow rejections %d = %d, want the %d calls",
			s.Totals[Success], s.Totals[Failure], s.TotalRejected, got, reached.Load())
	}
	if s.Totals[Success] >= succeeded.Load() || s.Totals[Failure] >= failed.Load() {
		t.Fatalf("counted %d successes and %d failures of %d and %d: the shadow-rejected calls' results counted",
			s.Totals[Success], s.Totals[Failure], succeeded.Load(), failed.Load())
	}
}

// TestShadowLogsTransitions checks that the logger sees a shadow breaker's
// transitions, which are the only sign of its would-be state besides Stats.
func TestShadowLogsTransitions(t *testing.T) {
	clk := newFakeClock()
	var changes []string
	cb := New("agent-7", WithShadow(), withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
		WithOnTransition(func(t Transition) { from, to := t.From, t.To; changes = append(changes, from.String()+">"+to.String()) }))
	fail := func() (int, error) { return 0, errBoom }
	Do(cb, fail) // opens
	Do(cb, fail) // would be rejected: the dependency is called, the failure does not count
	clk.Advance(time.Second)
	Do(cb, func() (int, error) { return 1, nil }) // the probe closes
	want := []string{"closed>open", "open>half-open", "half-open>closed"}
	if !slices.Equal(changes, want) {
		t.Fatalf("transitions %v, want %v", changes, want)
	}
	s := cb.Stats()
	if s.Totals[Failure] != 1 || s.TotalRejected != 1 || s.Totals[Success] != 1 || s.State != Closed {
		t.Fatalf("stats %+v", s)
	}
	if s.TransitionCounts[Closed][Open] != 1 || s.TransitionCounts[Open][HalfOpen] != 1 || s.TransitionCounts[HalfOpen][Closed] != 1 {
		t.Fatalf("TransitionCounts %v", s.TransitionCounts)
	}
}
