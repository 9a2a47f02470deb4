package runtime

import (
	"context"
	"errors"
	"math"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// A dependency that hangs until the caller's deadline has failed: only a
// canceled caller turns a failure into Ignore.
func TestDeadlineIsAFailure(t *testing.T) {
	cb := New("deadline", WithFailureThreshold(2))
	for range 2 {
		ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
		p := Permit{b: cb, ctx: ctx, word: cb.loadWord()} // admitted before the deadline passed
		p.Done(ctx.Err())
		cancel()
	}
	if s := cb.Stats(); s.State != Open || s.TotalFailures != 2 {
		t.Fatalf("after 2 timeouts: %v with %d failures, want open with 2", s.State, s.TotalFailures)
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
		if got := cb.State(); got != Open {
			t.Errorf("%v: state after the probe = %v, want open (a failure)", bad, got)
		}
		clk.Advance(DefaultCooldown)
		if _, err := cb.Allow(); err != nil {
			t.Errorf("%v: next probe rejected: %v", bad, err)
		}
	}
}

// Hooks see the changes in the order they happened, even when the goroutine
// that made the first change is slow to report it.
func TestHookOrder(t *testing.T) {
	clk := newFakeClock()
	var mu sync.Mutex
	var got []string
	entered, release := make(chan struct{}), make(chan struct{})
	first := true
	cb := New("order", WithClock(clk.Now), WithFailureThreshold(1),
		WithOnStateChange(func(_ string, from, to State) {
			mu.Lock()
			wait := first
			first = false
			mu.Unlock()
			if wait {
				close(entered)
				<-release // the goroutine that opened the circuit stalls here
			}
			mu.Lock()
			got = append(got, from.String()+"->"+to.String())
			mu.Unlock()
		}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		Do(cb, func() (int, error) { return 0, errBoom })
	}()
	<-entered
	clk.Advance(DefaultCooldown)
	Do(cb, func() (int, error) { return 1, nil }) // open -> half-open -> closed
	close(release)
	<-done
	want := "closed->open open->half-open half-open->closed"
	mu.Lock()
	defer mu.Unlock()
	if g := strings.Join(got, " "); g != want {
		t.Fatalf("hook order %q, want %q", g, want)
	}
}

// A forced-open breaker suggests one cooldown, whatever the clock does.
func TestForceOpenClockStepsBack(t *testing.T) {
	clk := newFakeClock()
	cb := New("forced", WithClock(clk.Now))
	cb.ForceOpen()
	clk.Advance(-time.Hour)
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.RetryAfter != DefaultCooldown {
		t.Fatalf("err = %v, want a rejection with RetryAfter %v", err, DefaultCooldown)
	}
}

// TestPermitFitsInRegisters guards the default path's cost: a Permit of
// more than four words is copied through memory on every Allow, which
// once doubled the cost of a closed-state call.
func TestPermitFitsInRegisters(t *testing.T) {
	if size, max := unsafe.Sizeof(Permit{}), 4*unsafe.Sizeof(uintptr(0)); size > max {
		t.Fatalf("Permit is %d bytes, more than the %d of four words", size, max)
	}
}

// TestTimedCallReturnsContext: a breaker that times calls hides the
// caller's context in a pooled timedCall, and still sees its cancellation.
func TestTimedCallReturnsContext(t *testing.T) {
	clk := newFakeClock()
	cb := New("timed", WithClock(clk.Now), WithFailureRate(0.5, LastN(4), 1), WithSlowCalls(time.Second, 1))
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
	cb := New("copy", WithClock(clk.Now), WithFailureRate(0.5, LastN(10), 5), WithSlowCalls(time.Second, 1))
	p1, _ := cb.Allow()
	c := p1
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
	if s := cb.Stats(); s.TotalSuccesses != 2 || s.TotalFailures != 0 || s.TotalSlow != 0 || s.WindowCalls != 2 {
		t.Fatalf("successes %d, failures %d, slow %d, window %d; want 2, 0, 0, 2",
			s.TotalSuccesses, s.TotalFailures, s.TotalSlow, s.WindowCalls)
	}
}

// TestMaxWaitDatedUnderLock: a probe admitted after waiting for the lock is
// dated when it is admitted, not when it started waiting, so an instant
// success still closes the circuit.
func TestMaxWaitDatedUnderLock(t *testing.T) {
	cb, clk := halfOpen("lock", WithHalfOpenMaxWait(10*time.Second))
	p, _ := cb.Allow()
	p.Done(errCanceled) // ignored: the circuit stays half-open, no probe out
	cb.mu.Lock()
	admitted := make(chan Permit)
	go func() {
		p, err := cb.Allow()
		if err != nil {
			t.Error(err)
		}
		admitted <- p
	}()
	for range 100 {
		goruntime.Gosched() // let the goroutine reach the lock
	}
	clk.Advance(time.Minute)
	cb.mu.Unlock()
	p = <-admitted
	p.Done(nil)
	if s := cb.State(); s != Closed {
		t.Fatalf("after an instant probe success: %v, want closed", s)
	}
}

// TestRetryAfterSaturates: the longest cooldown with a clock that stepped
// back before the breaker was created gives the longest RetryAfter, not a
// negative one.
func TestRetryAfterSaturates(t *testing.T) {
	clk := newFakeClock()
	cb := New("long", WithClock(clk.Now), WithFailureThreshold(1), WithCooldown(math.MaxInt64))
	p, _ := cb.Allow()
	p.Done(errBoom)
	clk.Set(-time.Hour)
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.RetryAfter <= 0 {
		t.Fatalf("Allow: %v, want a rejection with a positive RetryAfter", err)
	}
	if s := cb.Stats(); s.RetryAfter != math.MaxInt64 {
		t.Fatalf("Stats RetryAfter %v, want the longest Duration", s.RetryAfter)
	}
}
