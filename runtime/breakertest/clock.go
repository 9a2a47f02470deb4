package breakertest

import (
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// A Clock is a fake time source for breakers under test: its time moves only
// when the test moves it. It is safe for concurrent use. The zero Clock reads
// the zero time.Time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's current time. Pass it to runtime.WithClock, or use
// Option.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and returns the new time. A negative
// d moves it back, as a wall clock may.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Option returns runtime.WithClock(c.Now): the option that makes a breaker
// read c.
func (c *Clock) Option() runtime.Option {
	return runtime.WithClock(c.Now)
}
