package runtime

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A dependency that hangs until the caller's deadline has failed: only a
// canceled caller turns a failure into Ignore.
func TestDeadlineIsAFailure(t *testing.T) {
	cb := New("deadline", WithFailureThreshold(2))
	for range 2 {
		ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
		p := Permit{b: cb, ref: ctx, word: cb.loadWord()} // admitted before the deadline passed
		p.Done(ctx.Err())
		cancel()
	}
	if s := cb.Stats(); s.State != Open || s.Totals[Failure] != 2 {
		t.Fatalf("after 2 timeouts: %v with %d failures, want open with 2", s.State, s.Totals[Failure])
	}
}

// A classifier that panics or returns an unknown Outcome must not keep the
// probe slot forever.
func TestBadClassifierFreesProbe(t *testing.T) {
	errPanic, errOdd := errors.New("panic"), errors.New("odd")
	classify := func(err error) Outcome {
		switch err {
		case errPanic:
			panic("classifier bug")
		case errOdd:
			return Outcome(7)
		}
		return Failure
	}
	for _, bad := range []error{errPanic, errOdd} {
		cb, clk := halfOpen("classifier", WithClassifier(classify))
		func() {
			defer func() { _ = recover() }()
			_, _ = Do(cb, func() (int, error) { return 0, bad })
		}()
		if got := cb.Stats().State; got != Open {
			t.Errorf("%v: state after the probe = %v, want open (a failure)", bad, got)
		}
		clk.Advance(defaultCooldown)
		if _, err := cb.Allow(); err != nil {
			t.Errorf("%v: next probe rejected: %v", bad, err)
		}
	}
}

// TestReleaseAfterCancelIsAFailure: a call that panics after its caller
// canceled still counts as a failure; only an error returned to Done while
// the caller is canceled is ignored.
func TestReleaseAfterCancelIsAFailure(t *testing.T) {
	cb := New("cancel", WithFailureThreshold(1))
	ctx, cancel := context.WithCancel(context.Background())
	p, err := cb.AllowContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	p.Release() // as when the call panicked
	if s := cb.Stats(); s.State != Open || s.Totals[Failure] != 1 {
		t.Fatalf("after Release of a canceled caller's call: %v with %d failures, want open with 1", s.State, s.Totals[Failure])
	}

	cb = New("cancel", WithFailureThreshold(1))
	ctx, cancel = context.WithCancel(context.Background())
	p, _ = cb.AllowContext(ctx)
	cancel()
	p.Done(errBoom)
	p.Release()
	if s := cb.Stats(); s.State != Closed || s.Totals[Failure] != 0 {
		t.Fatalf("after Done(err) and Release of a canceled caller's call: %v with %d failures, want closed with 0", s.State, s.Totals[Failure])
	}
}

// TestTotalsCountStaleOutcomes: an outcome that comes too late to change
// the state, from a call admitted before the circuit opened, still counts
// in the totals, which say what the dependency did.
func TestTotalsCountStaleOutcomes(t *testing.T) {
	clk := newFakeClock()
	cb := New("stale", withClock(clk.Now), WithFailureThreshold(1))
	late, _ := cb.Allow()
	slow, _ := cb.Allow()
	p, _ := cb.Allow()
	p.Done(errBoom) // opens
	late.Done(errBoom)
	slow.Done(nil)
	s := cb.Stats()
	if s.Totals[Failure] != 2 || s.Totals[Success] != 1 {
		t.Fatalf("totals %d failures, %d successes; want 2 and 1", s.Totals[Failure], s.Totals[Success])
	}
	if s.State != Open || s.ConsecutiveFailures != 1 || s.RetryAfter != defaultCooldown {
		t.Fatalf("stale outcomes changed the state: %+v", s)
	}
}

func TestPermitReportedOnce(t *testing.T) {
	cb := New("once", WithFailureThreshold(2))
	p, _ := cb.Allow()
	p.Done(errBoom)
	p.Done(errBoom)
	p.Release()
	if s := cb.Stats(); s.ConsecutiveFailures != 1 || s.Totals[Failure] != 1 {
		t.Fatalf("permit counted more than once: %+v", s)
	}
	var zero Permit
	zero.Done(errBoom)
	zero.Release()
}
