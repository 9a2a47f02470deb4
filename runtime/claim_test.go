package runtime

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestTimedCallReturnsContext: a breaker that times calls hides the
// caller's context in a pooled timedCall, and still sees its cancellation.
func TestTimedCallReturnsContext(t *testing.T) {
	clk := newFakeClock()
	cb := New("timed", withClock(clk.Now), WithFailureRate(0.5, LastN(4), 1), WithSlowCalls(time.Second, 1))
	ctx, cancel := context.WithCancel(context.Background())
	p, err := cb.AllowContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	p.Done(errBoom) // the caller left: ignored
	if s := cb.Stats(); s.State != Closed || s.WindowCalls != 0 {
		t.Fatalf("after a canceled caller's failure: %v with %d calls in the window, want closed with 0", s.State, s.WindowCalls)
	}
	p, _ = cb.AllowContext(context.Background())
	clk.Advance(2 * time.Second)
	p.Done(nil)
	if s := cb.Stats(); s.State != Open || s.TotalSlow != 1 {
		t.Fatalf("after a slow success: %v with %d slow, want open with 1", s.State, s.TotalSlow)
	}
}

// TestTimedPermitCopy: a copy of a timed call's Permit, reported after the
// original, does not count, and does not disturb the calls that reuse the
// original's pooled timedCall.
func TestTimedPermitCopy(t *testing.T) {
	clk := newFakeClock()
	cb := New("copy", withClock(clk.Now), WithFailureRate(0.5, LastN(10), 5), WithSlowCalls(time.Second, 1))
	p1, _ := cb.Allow()
	c := copied(&p1)
	p1.Done(nil)
	ctx, cancel := context.WithCancel(context.Background())
	p2, _ := cb.AllowContext(ctx)
	c.Release() // a stale copy: no effect
	c.Done(errBoom)
	p3, _ := cb.Allow()
	clk.Advance(time.Millisecond)
	cancel()
	p2.Done(errBoom) // its caller left: ignored
	p3.Done(nil)     // 1ms: not slow
	if s := cb.Stats(); s.Totals[Success] != 2 || s.Totals[Failure] != 0 || s.TotalSlow != 0 || s.WindowCalls != 2 {
		t.Fatalf("successes %d, failures %d, slow %d, window %d; want 2, 0, 0, 2",
			s.Totals[Success], s.Totals[Failure], s.TotalSlow, s.WindowCalls)
	}
}

// TestProbeCopyCountsOnce: a copy of a probe's Permit reports the probe,
// and the original then does nothing, so it can neither free a second
// probe slot nor add a second success. The breaker needs two successes and
// admits one probe at a time.
func TestProbeCopyCountsOnce(t *testing.T) {
	for _, second := range []struct {
		name   string
		report func(p *Permit)
	}{
		{"Done", func(p *Permit) { p.Done(nil) }},
		{"Release", func(p *Permit) { p.Release() }},
		{"Done(err)", func(p *Permit) { p.Done(errBoom) }},
		{"ignored", func(p *Permit) { p.Done(errCanceled) }},
	} {
		t.Run(second.name, func(t *testing.T) {
			cb, _ := halfOpen("probe", WithHalfOpenProbes(1, 1), withSuccesses(2))
			p, err := cb.Allow()
			if err != nil {
				t.Fatal(err)
			}
			c := copied(&p)
			c.Done(nil)       // the first success of two
			second.report(&p) // the original: counts nothing
			if s := cb.Stats(); s.State != HalfOpen || s.Totals[Success] != 1 || s.Totals[Failure] != 1 {
				t.Fatalf("after a copy and the original reported: %v, %d successes, %d failures; want half-open, 1, 1 (the trip)",
					s.State, s.Totals[Success], s.Totals[Failure])
			}
			q, err := cb.Allow()
			if err != nil {
				t.Fatalf("the slot the copy freed: %v", err)
			}
			if _, err := cb.Allow(); err == nil {
				t.Fatal("a second probe admitted while one is out, with WithHalfOpenProbes(1, 1)")
			}
			q.Done(nil)
			if s := cb.Stats(); s.State != Closed || s.Totals[Success] != 2 {
				t.Fatalf("after the second probe succeeded: %v with %d successes, want closed with 2", s.State, s.Totals[Success])
			}
		})
	}
}

// TestProbeCopiesReportTogether: copies of one probe reported at once by
// different goroutines count once; -race checks they share nothing
// unguarded.
func TestProbeCopiesReportTogether(t *testing.T) {
	for range 200 {
		cb, _ := halfOpen("probe", WithHalfOpenProbes(1, 1), withSuccesses(2))
		p, _ := cb.Allow()
		c := copied(&p)
		hammer(2, func(g int) {
			if g == 0 {
				c.Done(nil)
			} else {
				p.Release()
			}
		})
		s := cb.Stats()
		switch {
		case s.Totals[Success]+s.Totals[Failure] != 2: // the trip and one of the copies
			t.Fatalf("%d successes and %d failures, want one outcome besides the trip", s.Totals[Success], s.Totals[Failure]-1)
		case s.Totals[Success] == 1 && s.State != HalfOpen, s.Totals[Success] == 0 && s.State != Open:
			t.Fatalf("%v after %d successes", s.State, s.Totals[Success])
		}
	}
}

// TestTimedCopiesReportTogether: copies of a timed call's Permit reported
// at once count once, and the claim they share is reused by later calls
// without a race.
func TestTimedCopiesReportTogether(t *testing.T) {
	clk := newFakeClock()
	cb := New("timed", withClock(clk.Now), WithFailureRate(0.5, LastN(10), 10), WithSlowCalls(time.Second, 1))
	const calls = 3000
	var reports atomic.Int64
	for range calls {
		p, err := cb.Allow()
		if err != nil {
			t.Fatal(err)
		}
		c := copied(&p)
		hammer(3, func(g int) {
			switch g {
			case 0:
				c.Done(nil)
			case 1:
				p.Done(nil)
			case 2:
				// Another call takes a claim from the pool meanwhile.
				q, _ := cb.AllowContext(context.Background())
				q.Done(nil)
				reports.Add(1)
			}
		})
	}
	if s := cb.Stats(); s.Totals[Success] != 2*calls || s.Totals[Failure] != 0 || s.State != Closed {
		t.Fatalf("%v with %d successes, %d failures; want closed with %d and 0", s.State, s.Totals[Success], s.Totals[Failure], 2*calls)
	}
	if reports.Load() != calls {
		t.Fatalf("%d other calls, want %d", reports.Load(), calls)
	}
}
