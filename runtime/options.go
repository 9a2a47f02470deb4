package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults of the options.
const (
	DefaultFailureThreshold = 5
	DefaultCooldown         = 30 * time.Second
	DefaultHalfOpenProbes   = 1
)

// An Option configures a Breaker in New or every breaker of a Set in NewSet.
type Option func(*config)

type config struct {
	threshold int64
	cooldown  time.Duration
	probes    int
	classify  func(error) Outcome
	now       func() time.Time // nil: time.Now, read through its monotonic clock
	onChange  func(name string, from, to State)
	logger    *slog.Logger
}

func newConfig(opts []Option) config {
	c := config{
		threshold: DefaultFailureThreshold,
		cooldown:  DefaultCooldown,
		probes:    DefaultHalfOpenProbes,
		classify:  DefaultClassifier,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithFailureThreshold sets how many consecutive failures open the circuit:
// the nth failure in a row opens it. The default is 5. New panics if n < 1.
func WithFailureThreshold(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithFailureThreshold(%d): the threshold must be at least 1", n))
	}
	return func(c *config) { c.threshold = int64(n) }
}

// WithCooldown sets how long the circuit stays open before it admits probes.
// The default is 30s. New panics if d <= 0.
func WithCooldown(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithCooldown(%v): the cooldown must be positive", d))
	}
	return func(c *config) { c.cooldown = d }
}

// WithHalfOpenProbes sets how many trial calls the half-open circuit admits
// at once; all of them must succeed to close it. The default is 1. New panics
// if n < 1.
func WithHalfOpenProbes(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithHalfOpenProbes(%d): the number of probes must be at least 1", n))
	}
	return func(c *config) { c.probes = n }
}

// WithClassifier sets how a non-nil error counts toward the breaker's state.
// A nil error is always a Success. The default is DefaultClassifier. New
// panics if f is nil.
func WithClassifier(f func(error) Outcome) Option {
	if f == nil {
		panic("runtime: WithClassifier(nil): the classifier must not be nil")
	}
	return func(c *config) { c.classify = f }
}

// WithClock sets the source of the current time, so tests can move time
// without sleeping. The default is time.Now. New panics if now is nil.
func WithClock(now func() time.Time) Option {
	if now == nil {
		panic("runtime: WithClock(nil): the clock must not be nil")
	}
	return func(c *config) { c.now = now }
}

// WithOnStateChange sets a function called after every state change, outside
// any lock, so it may call back into the breaker. Calls come one at a time,
// in the order of the changes. The default is none.
func WithOnStateChange(f func(name string, from, to State)) Option {
	return func(c *config) { c.onChange = f }
}

// WithLogger logs every state change to l: opening at level Warn, the others
// at Info. Individual calls are never logged. The default is no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// DefaultClassifier counts context.Canceled as Ignore, since the caller gave
// up rather than the dependency failing, and every other error as Failure.
func DefaultClassifier(err error) Outcome {
	if errors.Is(err, context.Canceled) {
		return Ignore
	}
	return Failure
}
