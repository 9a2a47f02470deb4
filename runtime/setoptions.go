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

// WithKeyOptions gives some keys other options than the Set's: when Get
// makes a key's breaker, it applies f(key) after the Set's options, so
// they take precedence; f may return nil. f must be safe for concurrent
// use. Get panics, as New does, if the options for a key do not fit
// together.
func WithKeyOptions(f func(key string) []Option) SetOption {
	if f == nil {
		panic("runtime: WithKeyOptions(nil): the function must not be nil")
	}
	return func(c *setConfig) { c.keyOptions = f }
}

// WithIdleEviction makes a Set forget the breaker of a key that has had no
// call for d (evicted between d and 1.5d after its last call), unless it is
// open, half-open or holds a failure: forgetting that would forgive the
// dependency. The calls pay nothing for it: Get and All sweep, at most
// every d/4. Code still holding an evicted breaker keeps using it, outside
// the Set, so take breakers from an evicting Set for one call at a time.
// WithIdleEviction panics if d <= 0.
func WithIdleEviction(d time.Duration) SetOption {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithIdleEviction(%v): the idle time must be positive", d))
	}
	return func(c *setConfig) { c.idle = d }
}
