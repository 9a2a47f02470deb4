package runtime

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrOpen is the sentinel that every rejection matches:
// errors.Is(err, ErrOpen) reports whether err is a *CircuitBreakerError.
var ErrOpen = errors.New("circuit breaker is open")

// CircuitBreakerError is returned instead of calling the dependency while the
// circuit is open, or while it is half-open and all probe slots are taken
// (with runtime/shared also while another replica probes, or while this
// one waits to learn whether it may). Its message names the breaker and
// the state. The rejections of one opening share one value.
type CircuitBreakerError struct {
	name  string
	state State         // Open, or HalfOpen when every probe slot was taken
	b     *Breaker      // whose clock RetryAfter reads; nil for a fixed wait
	at    int64         // when a call may be admitted, in b's time (since its base)
	wait  time.Duration // the fixed wait when b is nil
	word  uint64        // the breaker's word the rejection belongs to
}

// RetryAfter returns how long to wait before a call may be admitted,
// rounded up to the millisecond: the rest of the cooldown when Open,
// lengthened by WithBackoff if it applies, read from the breaker's clock
// when asked; the latest opening's full cooldown when HalfOpen (the
// probes' verdict is not known yet); WithCooldown's when the circuit was
// forced open. It is zero once that time has passed.
func (e *CircuitBreakerError) RetryAfter() time.Duration {
	d := e.wait
	if e.b != nil {
		d = max(subSat(e.at, e.b.since()), 0)
		if d == 0 {
			// The cooldown has ended but its timer has not yet run: end
			// the fast rejections now, so that the call this says to make
			// at once is let through rather than rejected again.
			e.b.cooling.CompareAndSwap(e, nil)
		}
	}
	if r := d % time.Millisecond; r != 0 && d <= math.MaxInt64-time.Millisecond {
		d += time.Millisecond - r
	}
	return d
}

// Error returns a message that names the breaker and the time until retry,
// such as `circuit breaker "agent-7" is open; retry in 12.3s`.
func (e *CircuitBreakerError) Error() string {
	return fmt.Sprintf("circuit breaker %q is %s; retry in %s", e.name, e.state, roundDuration(e.RetryAfter()))
}

// Is reports whether target is ErrOpen.
func (e *CircuitBreakerError) Is(target error) bool {
	return target == ErrOpen
}

// roundDuration keeps messages short: 12.3s, 850ms.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d
}
