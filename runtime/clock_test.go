package runtime

import (
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to. It counts its reads.
type fakeClock struct {
	mu    sync.Mutex
	start time.Time
	t     time.Time
	reads atomic.Int64
}

func newFakeClock() *fakeClock {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return &fakeClock{start: start, t: start}
}

func (c *fakeClock) Now() time.Time {
	c.reads.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to d after its start, forward or back.
func (c *fakeClock) Set(d time.Duration) {
	c.mu.Lock()
	c.t = c.start.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestRetryAfterSaturates: the longest cooldown with a clock that stepped
// back before the breaker was created gives the longest RetryAfter, not a
// negative one.
func TestRetryAfterSaturates(t *testing.T) {
	clk := newFakeClock()
	cb := New("long", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(math.MaxInt64))
	p, _ := cb.Allow()
	p.Done(errBoom)
	clk.Set(-time.Hour)
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.RetryAfter() <= 0 {
		t.Fatalf("Allow: %v, want a rejection with a positive RetryAfter", err)
	}
	if s := cb.Stats(); s.RetryAfter != math.MaxInt64 {
		t.Fatalf("Stats RetryAfter %v, want the longest Duration", s.RetryAfter)
	}
}
