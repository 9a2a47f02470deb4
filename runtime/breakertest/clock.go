package breakertest

import (
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/internal/hook"
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

// Now returns the clock's current time. Pass it to WithClock, or use
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

// Option returns WithClock(c.Now): the option that makes a breaker read c.
func (c *Clock) Option() runtime.Option {
	return WithClock(c.Now)
}

// WithClock makes a breaker, or every breaker of a Set given it in
// runtime.WithBreakerOptions, read the time from now instead of time.Now,
// so that a test moves time without sleeping. WithClock panics if now is
// nil.
func WithClock(now func() time.Time) runtime.Option {
	if now == nil {
		panic("breakertest: WithClock(nil): the clock must not be nil")
	}
	return hook.Option(func(e *hook.Ext) { e.Now = now }).(runtime.Option)
}
