package runtime

import (
	"fmt"
	"slices"
	"time"
)

// A SetOption configures a Set in NewSet. The options of its breakers
// are given with WithBreakerOptions.
type SetOption func(*setConfig)

// setConfig holds the options of a Set.
type setConfig struct {
	opts       []Option                  // WithBreakerOptions
	keyOptions func(key string) []Option // WithKeyOptions; nil: none
	idle       time.Duration             // WithIdleEviction; 0: off
}

// WithBreakerOptions configures every breaker of the Set with opts. Given
// more than once, the options add up, in order.
func WithBreakerOptions(opts ...Option) SetOption {
	opts = slices.Clone(opts)
	return func(c *setConfig) { c.opts = append(c.opts, opts...) }
}

// WithKeyOptions gives some keys of a Set other options than the Set's: the
// Set calls f with a key when the key is first used (by Get, or Get after
// the key was removed or evicted) and applies what f returns after the
// Set's own options, so they take precedence. f may return nil. Use it for
// an agent that needs a longer cooldown, or per-method thresholds in a
// wrapper generated with -per-method. f must be safe for concurrent use and
// may be called more than once for a key that several goroutines use
// first at once. Get panics, as New does, if the options for a key do not
// fit together.
func WithKeyOptions(f func(key string) []Option) SetOption {
	if f == nil {
		panic("runtime: WithKeyOptions(nil): the function must not be nil")
	}
	return func(c *setConfig) { c.keyOptions = f }
}

// WithIdleEviction makes a Set forget the breaker of a key that has had no
// call for d, so that a coordinator running for months while agents come
// and go keeps only the breakers in use. A breaker is never evicted while
// it is open or half-open or holds a failure in its consecutive count or
// its window (WithFailureRate): forgetting it would forgive the
// dependency. The next Get of an evicted key starts a fresh breaker, while
// code still holding the old one keeps using it, outside the Set.
//
// Idleness costs the calls nothing: the Set compares each breaker's call
// counts between sweeps, and sweeps at most every d/4, from Get and from
// iterating the Set (All, Keys, Stats), on the goroutine that calls them,
// reading the clock of WithClock. A breaker is evicted between d and 1.5d
// after its last call, if the Set is used in that time. So hold breakers
// from an evicting Set only briefly: a wrapper built once and kept would
// lose its breaker from the Set (and from metrics) when idle. A call that
// takes longer than d and reports after its breaker was evicted reports to
// the evicted breaker. WithIdleEviction panics if d <= 0.
func WithIdleEviction(d time.Duration) SetOption {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithIdleEviction(%v): the idle time must be positive", d))
	}
	return func(c *setConfig) { c.idle = d }
}
