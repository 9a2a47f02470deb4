package runtime

import (
	"math"
	"time"
)

// reject counts a rejection and returns its error. RetryAfter is rounded up
// to the millisecond, so that under a storm of calls the rejections of the
// same millisecond share one error value instead of allocating each.
func (b *Breaker) reject(s State, retry time.Duration) error {
	b.rejected.Add(1)
	if r := retry % time.Millisecond; r != 0 && retry <= math.MaxInt64-time.Millisecond {
		retry += time.Millisecond - r
	}
	if e := b.lastReject.Load(); e != nil && e.RetryAfter == retry && e.State == s {
		return e
	}
	e := &CircuitBreakerError{Name: b.name, State: s, RetryAfter: retry}
	b.lastReject.Store(e)
	return e
}
