package runtime

import (
	"math"
	"time"
)

// since returns the time on b's clock, in nanoseconds since its
// configuration was made: since New made b, or since NewSet made the Set
// whose breakers share it.
func (b *Breaker) since() int64 { return b.cfg.since() }

// since returns the time on the clock of c's breakers, in nanoseconds since
// c was made. Without an injected clock (breakertest.WithClock) it reads
// only the monotonic clock, which is cheaper than time.Now.
func (c *config) since() int64 {
	if c.ext.Now == nil {
		return int64(time.Since(c.base))
	}
	return int64(c.ext.Now().Sub(c.base))
}

// subSat returns until-now, saturating at the longest Duration.
func subSat(until, now int64) time.Duration {
	if now < 0 && until > math.MaxInt64+now {
		return math.MaxInt64
	}
	return time.Duration(until - now)
}

// addSat returns t+d, saturating just short of forever, which marks a
// circuit forced open.
func addSat(t int64, d time.Duration) int64 {
	if s := t + int64(d); s >= t && s < forever {
		return s
	}
	return forever - 1
}
