package runtime

import (
	"errors"
	"sync/atomic"
	"testing"
)

// TestHalfOpenAdmitsExactlyProbes releases 200 goroutines at a half-open
// breaker at once: exactly the configured number of probes get through.
func TestHalfOpenAdmitsExactlyProbes(t *testing.T) {
	for _, probes := range []int{1, 3} {
		for trial := range 20 {
			clk := newFakeClock()
			cb := New("race", withClock(clk.Now), WithFailureThreshold(1), WithHalfOpenProbes(probes, probes))
			p, _ := cb.Allow()
			p.Done(errBoom)
			clk.Advance(defaultCooldown)

			var admitted, rejected atomic.Int64
			held := make(chan *Permit, 200)
			hammer(200, func(int) {
				p, err := allowHeld(cb)
				var cbe *CircuitBreakerError
				switch {
				case err == nil:
					admitted.Add(1)
					held <- p
				case errors.As(err, &cbe) && cbe.state == HalfOpen:
					rejected.Add(1)
				default:
					t.Errorf("unexpected error %v", err)
				}
			})
			close(held)
			if admitted.Load() != int64(probes) || rejected.Load() != int64(200-probes) {
				t.Fatalf("probes=%d trial %d: admitted %d, rejected %d", probes, trial, admitted.Load(), rejected.Load())
			}
			for p := range held {
				p.Done(nil)
			}
			if cb.Stats().State != Closed {
				t.Fatalf("state after all probes succeeded = %v", cb.Stats().State)
			}
		}
	}
}

// TestConcurrentUse hammers one breaker from many goroutines with mixed
// results, resets and forced opens; run with -race. Every call either is
// admitted or rejected, and the counters add up.
func TestConcurrentUse(t *testing.T) {
	clk := newFakeClock()
	cb := New("hammer", withClock(clk.Now), WithFailureThreshold(3), WithHalfOpenProbes(2, 2))
	var calls, rejected atomic.Uint64
	hammer(8, func(g int) {
		for i := range 2000 {
			_, err := Do(cb, func() (int, error) {
				calls.Add(1)
				if (i+g)%4 == 0 {
					return 0, errBoom
				}
				return 1, nil
			})
			if errors.Is(err, ErrOpen) {
				rejected.Add(1)
			}
			switch {
			case g == 0 && i%100 == 0:
				clk.Advance(defaultCooldown)
			case g == 1 && i%500 == 0:
				cb.Reset()
			case g == 2 && i == 1000:
				cb.ForceOpen()
			case g == 2 && i == 1200:
				cb.Reset()
			}
			_ = cb.Stats()
			_ = cb.Stats().State
		}
	})
	s := cb.Stats()
	if s.Totals[Success]+s.Totals[Failure] != calls.Load() {
		t.Fatalf("outcomes %d+%d != calls %d", s.Totals[Success], s.Totals[Failure], calls.Load())
	}
	if s.TotalRejected != rejected.Load() || calls.Load()+rejected.Load() != 8*2000 {
		t.Fatalf("rejected %d (stats %d), calls %d", rejected.Load(), s.TotalRejected, calls.Load())
	}
}

// TestConcurrentSet creates, uses and removes keys from many goroutines.
func TestConcurrentSet(t *testing.T) {
	set := NewSet("agents", WithBreakerOptions(WithFailureThreshold(2)))
	keys := []string{"a", "b", "c", "d"}
	hammer(8, func(g int) {
		for i := range 500 {
			b := set.Get(keys[(i+g)%len(keys)])
			p, err := b.Allow()
			if err == nil {
				p.Done(nil)
			}
			if g == 0 && i%50 == 0 {
				set.Remove(keys[i%len(keys)])
			}
			for _, b := range set.All() {
				_ = b.Stats()
			}
		}
	})
	for _, k := range set.keys() {
		if b := set.Get(k); set.Get(k) != b {
			t.Fatalf("Get(%q) returned two breakers", k)
		}
	}
}
