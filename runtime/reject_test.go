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
