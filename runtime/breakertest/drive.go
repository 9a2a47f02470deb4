package breakertest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// maxTripCalls bounds the failing calls Trip makes to a breaker that opens on
// a failure rate rather than on consecutive failures.
const maxTripCalls = 10000

// Trip makes d fail with ErrDown and calls call until cb opens, and returns
// the number of calls it made. Each call must reach d once and return ErrDown,
// wrapped or not. Trip fails the test if one does not, if cb is not closed to
// begin with, or if cb is still closed after its Config().FailureThreshold of calls
// (10,000 when only a failure rate opens it). It leaves d failing.
func Trip(t testing.TB, cb *runtime.Breaker, d *Dependency, call func() error) int {
	t.Helper()
	st := cb.Stats()
	if st.State != runtime.Closed {
		t.Fatalf("breakertest.Trip: breaker %q is %v, want %v", cb.Name(), st.State, runtime.Closed)
	}
	limit := cb.Config().FailureThreshold
	if limit == 0 {
		limit = maxTripCalls
	}
	d.Fail(ErrDown)
	for n := 1; n <= limit; n++ {
		before := d.Calls()
		if err := call(); !errors.Is(err, ErrDown) {
			t.Fatalf("breakertest.Trip: failing call %d of breaker %q returned %v, want %v", n, cb.Name(), err, ErrDown)
		}
		if got := d.Calls() - before; got != 1 {
			t.Fatalf("breakertest.Trip: failing call %d of breaker %q reached the dependency %d times, want 1", n, cb.Name(), got)
		}
		if cb.Stats().State == runtime.Open {
			return n
		}
	}
	t.Fatalf("breakertest.Trip: breaker %q is %v after %d failing calls, want %v", cb.Name(), cb.Stats().State, limit, runtime.Open)
	return 0
}

// Rejected calls call and checks that cb rejected it without reaching d:
// call returns an error that matches runtime.ErrOpen and is a
// *runtime.CircuitBreakerError naming cb, and d counts no new call. It
// returns the rejection, for checks of its RetryAfter.
func Rejected(t testing.TB, cb *runtime.Breaker, d *Dependency, call func() error) *runtime.CircuitBreakerError {
	t.Helper()
	before := d.Calls()
	err := call()
	if got := d.Calls() - before; got != 0 {
		t.Fatalf("breakertest.Rejected: the call reached the dependency (returning %v), want it rejected by breaker %q", err, cb.Name())
	}
	var cbe *runtime.CircuitBreakerError
	if !errors.As(err, &cbe) || !errors.Is(err, runtime.ErrOpen) {
		t.Fatalf("breakertest.Rejected: the call returned %v, want a *runtime.CircuitBreakerError that matches runtime.ErrOpen", err)
	}
	if !strings.HasPrefix(cbe.Error(), rejectedBy(cb)) {
		t.Fatalf("breakertest.Rejected: the call was rejected with %q, want a rejection by breaker %q", cbe, cb.Name())
	}
	return cbe
}

// HalfOpen moves clk to the end of cb's cooldown, so that cb admits probes,
// and checks that cb then reports runtime.HalfOpen. cb must be open and
// read clk.
func HalfOpen(t testing.TB, cb *runtime.Breaker, clk *Clock) {
	t.Helper()
	st := cb.Stats()
	if st.State != runtime.Open {
		t.Fatalf("breakertest.HalfOpen: breaker %q is %v, want %v", cb.Name(), st.State, runtime.Open)
	}
	clk.Advance(st.RetryAfter)
	if s := cb.Stats().State; s != runtime.HalfOpen {
		t.Fatalf("breakertest.HalfOpen: breaker %q is %v after its cooldown of %v, want %v; does it read the clock (Clock.Option), and is it forced open?", cb.Name(), s, st.RetryAfter, runtime.HalfOpen)
	}
}

// Cycle drives call, guarded by cb, through a whole cycle of the circuit and
// checks each step. Trip opens the circuit. While it is open, Rejected finds
// a call rejected in state Open with the rest of the cooldown to wait.
// HalfOpen waits out the cooldown. The next call is the probe: it reaches d
// and succeeds, and while it is in flight another call is rejected in state
// HalfOpen. The probe's success closes the circuit.
//
// cb must be closed, read clk, and close after one successful probe, as it
// does by default. Cycle leaves d succeeding.
func Cycle(t testing.TB, cb *runtime.Breaker, clk *Clock, d *Dependency, call func() error) {
	t.Helper()
	Trip(t, cb, d, call)

	want := roundUp(cb.Stats().RetryAfter)
	if r := Rejected(t, cb, d, call); !inState(r, cb, runtime.Open) || r.RetryAfter() != want {
		t.Fatalf("breakertest.Cycle: open circuit: rejected with %q, want state %v and RetryAfter %v", r, runtime.Open, want)
	}

	HalfOpen(t, cb, clk)
	d.Fail(nil)
	cooldown := roundUp(cb.Stats().Cooldown)
	d.During(func() {
		t.Helper()
		if r := Rejected(t, cb, d, call); !inState(r, cb, runtime.HalfOpen) || r.RetryAfter() != cooldown {
			t.Fatalf("breakertest.Cycle: call during the probe: rejected with %q, want state %v and RetryAfter %v", r, runtime.HalfOpen, cooldown)
		}
	})
	before := d.Calls()
	if err := call(); err != nil {
		t.Fatalf("breakertest.Cycle: probe of breaker %q returned %v, want nil", cb.Name(), err)
	}
	if got := d.Calls() - before; got != 1 {
		t.Fatalf("breakertest.Cycle: probe of breaker %q reached the dependency %d times, want 1", cb.Name(), got)
	}
	if s := cb.Stats().State; s != runtime.Closed {
		t.Fatalf("breakertest.Cycle: after a successful probe breaker %q is %v, want %v", cb.Name(), s, runtime.Closed)
	}
}

// roundUp rounds d up to the millisecond, as a rejection's RetryAfter is.
func roundUp(d time.Duration) time.Duration {
	if r := d % time.Millisecond; r != 0 {
		d += time.Millisecond - r
	}
	return d
}

// rejectedBy is how the message of a rejection by cb starts: with the
// breaker's name, and then its state.
func rejectedBy(cb *runtime.Breaker) string {
	return fmt.Sprintf("circuit breaker %q is ", cb.Name())
}

// inState reports whether the rejection r says that cb was in state s.
func inState(r *runtime.CircuitBreakerError, cb *runtime.Breaker, s runtime.State) bool {
	return strings.HasPrefix(r.Error(), rejectedBy(cb)+s.String()+";")
}
