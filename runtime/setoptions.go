package runtime

import (
	"fmt"
	"time"
)

// setConfig holds the options that configure a Set rather than its
// breakers.
type setConfig struct {
	keyOptions func(key string) []Option // WithKeyOptions; nil: none
	idle       time.Duration             // WithIdleEviction; 0: off
	given      string                    // the first of these options given, for New's panic
}

// breakerOnly panics if a Set's option configures a single breaker, in
// New or among a key's options.
func (c setConfig) breakerOnly(where string) {
	if c.given != "" {
		panic(fmt.Sprintf("runtime: %s is an option of NewSet, not of %s", c.given, where))
	}
}

func (c *setConfig) note(option string) {
	if c.given == "" {
		c.given = option
	}
}

// WithKeyOptions gives some keys of a Set other options than the Set's: the
// Set calls f with a key when the key is first used (by Get, or Get after
// the key was removed or evicted) and applies what f returns after the
// Set's own options, so they take precedence. f may return nil. Use it for
// an agent that needs a longer cooldown, or per-method thresholds in a
// wrapper generated with -per-method. f must be safe for concurrent use and
// may be called more than once for a key that several goroutines use
// first at once. Get panics, as New does, if the options for a key do not
// fit together or include an option of NewSet. Only NewSet takes this
// option; New panics with it.
func WithKeyOptions(f func(key string) []Option) Option {
	if f == nil {
		panic("runtime: WithKeyOptions(nil): the function must not be nil")
	}
	return func(c *config) { c.set.keyOptions = f; c.set.note("WithKeyOptions") }
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
// the evicted breaker. Only NewSet takes this option; New panics with it.
// WithIdleEviction panics if d <= 0.
func WithIdleEviction(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithIdleEviction(%v): the idle time must be positive", d))
	}
	return func(c *config) { c.set.idle = d; c.set.note("WithIdleEviction") }
}
