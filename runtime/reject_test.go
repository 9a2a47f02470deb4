package runtime

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// A forced-open breaker suggests one cooldown, whatever the clock does.
func TestForceOpenClockStepsBack(t *testing.T) {
	clk := newFakeClock()
	cb := New("forced", withClock(clk.Now))
	cb.ForceOpen()
	clk.Advance(-time.Hour)
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.RetryAfter() != defaultCooldown {
		t.Fatalf("err = %v, want a rejection with RetryAfter %v", err, defaultCooldown)
	}
}

// The rejections of one opening share an error, whose RetryAfter counts
// down on the breaker's clock when asked, and is zero once the cooldown is
// over.
func TestRejectionsShareAnError(t *testing.T) {
	clk := newFakeClock()
	cb := New("share", withClock(clk.Now), WithFailureThreshold(1))
	Do(cb, func() (int, error) { return 0, errBoom })
	_, err1 := cb.Allow()
	clk.Advance(time.Second)
	_, err2 := cb.Allow()
	if err1 != err2 {
		t.Errorf("rejections of one opening: %p and %p, want one value", err1, err2)
	}
	var cbe *CircuitBreakerError
	if !errors.As(err2, &cbe) || cbe.RetryAfter() != defaultCooldown-time.Second {
		t.Fatalf("a second later: %v, want RetryAfter %v", err2, defaultCooldown-time.Second)
	}
	clk.Advance(time.Millisecond / 2)
	if got, want := cbe.RetryAfter(), defaultCooldown-time.Second; got != want {
		t.Errorf("half a millisecond later: RetryAfter %v, want %v (rounded up)", got, want)
	}
	clk.Advance(defaultCooldown)
	if got := cbe.RetryAfter(); got != 0 {
		t.Errorf("after the cooldown: RetryAfter %v, want 0", got)
	}
	if s := cb.Stats(); s.TotalRejected != 2 {
		t.Errorf("TotalRejected = %d, want 2", s.TotalRejected)
	}
}

// On the real clock, the open circuit's rejections share the opening's
// error and are all counted, from any number of goroutines, without
// allocating; Reset ends them.
func TestRejectionsOnTheRealClock(t *testing.T) {
	cb := New("real", WithFailureThreshold(1), WithCooldown(time.Hour))
	Do(cb, func() (int, error) { return 0, errBoom })
	_, first := cb.Allow()
	const goroutines, calls = 4, 500
	errs := make(chan error, goroutines)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range calls {
				if _, err := cb.Allow(); err != first {
					errs <- fmt.Errorf("rejection %v (%p), want the opening's %p", err, err, first)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, want := cb.Stats().TotalRejected, uint64(1+goroutines*calls); got != want {
		t.Errorf("TotalRejected = %d, want %d", got, want)
	}
	var cbe *CircuitBreakerError
	if !errors.As(first, &cbe) || cbe.RetryAfter() <= 59*time.Minute || cbe.RetryAfter() > time.Hour {
		t.Errorf("RetryAfter of %v, want within the hour's cooldown", first)
	}
	if allocs := testing.AllocsPerRun(100, func() { cb.Allow() }); allocs != 0 {
		t.Errorf("a rejection allocates %v times, want 0", allocs)
	}
	cb.Reset()
	if _, err := cb.Allow(); err != nil {
		t.Fatalf("after Reset: %v, want the call admitted", err)
	}
}

// On the real clock, the timer ends the cooldown: the next call is a probe.
func TestCooldownEndsOnTheRealClock(t *testing.T) {
	cb := New("timer", WithFailureThreshold(1), WithCooldown(5*time.Millisecond))
	Do(cb, func() (int, error) { return 0, errBoom })
	if _, err := cb.Allow(); !errors.Is(err, ErrOpen) {
		t.Fatalf("right after opening: %v, want a rejection", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, err := cb.Allow()
		if err == nil {
			p.Done(nil)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5s after a cooldown of 5ms: %v, want a probe admitted", err)
		}
		time.Sleep(time.Millisecond)
	}
	if s := cb.Stats().State; s != Closed {
		t.Fatalf("after a successful probe: %v, want closed", s)
	}
}

// A rejection whose cooldown has ended before its timer ran says to retry
// at once, and that retry is let through: a caller that waits RetryAfter
// does not spin on rejections until the timer runs. The timer is stopped
// here, as a late one would be.
func TestRetryAfterEndsALateCooldown(t *testing.T) {
	cb := New("late", WithFailureThreshold(1), WithCooldown(time.Hour))
	p, _ := cb.Allow()
	p.Done(errBoom)
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cb.cooling.Load() != cbe {
		t.Fatalf("err = %v, want the cooling rejection", err)
	}
	// The cooldown ends now; its timer has not run.
	cb.mu.Lock()
	cb.hist.timer.Stop()
	cb.mu.Unlock()
	past := cb.since() - 1
	cb.openUntil.Store(past)
	cbe.at = past
	if _, err := cb.Allow(); err != cbe {
		t.Fatalf("before RetryAfter: %v, want the cooling rejection again", err)
	}
	if d := cbe.RetryAfter(); d != 0 {
		t.Fatalf("RetryAfter = %v, want 0", d)
	}
	p, err = cb.Allow()
	if err != nil {
		t.Fatalf("the call RetryAfter said to make at once: %v", err)
	}
	p.Done(nil)
	if s := cb.Stats().State; s != Closed {
		t.Fatalf("after the probe: %v, want closed", s)
	}
}
