package runtime

import (
	"errors"
	"testing"
	"time"
)

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

func TestRejectionsShareAnError(t *testing.T) {
	clk := newFakeClock()
	cb := New("share", WithClock(clk.Now), WithFailureThreshold(1))
	Do(cb, func() (int, error) { return 0, errBoom })
	_, err1 := cb.Allow()
	clk.Advance(time.Microsecond)
	_, err2 := cb.Allow()
	if err1 != err2 {
		t.Errorf("rejections within a millisecond: %p and %p, want one value", err1, err2)
	}
	clk.Advance(time.Millisecond)
	_, err3 := cb.Allow()
	var cbe *CircuitBreakerError
	if err3 == err2 || !errors.As(err3, &cbe) || cbe.RetryAfter != DefaultCooldown-time.Millisecond {
		t.Errorf("a millisecond later: %v, want a fresh error with RetryAfter %v", err3, DefaultCooldown-time.Millisecond)
	}
	if s := cb.Stats(); s.TotalRejected != 3 {
		t.Errorf("TotalRejected = %d, want 3", s.TotalRejected)
	}
}
