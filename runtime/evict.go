package runtime

import "time"

// since returns the time since s was created, in nanoseconds, on the clock
// of WithClock.
func (s *Set) since() int64 {
	if s.now == nil {
		return int64(time.Since(s.base))
	}
	return int64(s.now().Sub(s.base))
}

// every returns the time between sweeps.
func (s *Set) every() int64 { return max(s.idle/4, 1) }

// sweep evicts the idle breakers, if a sweep is due at now and no other
// goroutine is sweeping. A breaker is idle when its call count has not
// moved since a sweep at least s.idle ago, so tracking idleness costs the
// calls nothing.
func (s *Set) sweep(now int64) {
	if now < s.nextSweep.Load() || !s.sweeping.TryLock() {
		return
	}
	defer s.sweeping.Unlock()
	if now < s.nextSweep.Load() {
		return // another goroutine swept meanwhile
	}
	s.nextSweep.Store(now + s.every())
	s.m.Range(func(k, v any) bool {
		e := v.(*setEntry)
		calls, quiet := e.b.quiet()
		switch {
		case calls != e.calls:
			e.calls, e.seen = calls, now
		case quiet && now-e.seen >= s.idle:
			// A call that reports between the look and the delete counts
			// on the evicted breaker, as does one still running: putting
			// the breaker back could undo a Remove made meanwhile.
			s.m.CompareAndDelete(k, e)
		}
		return true
	})
}

// quiet returns how many calls b has counted (reported or rejected) and
// whether forgetting b would forgive nothing: it is closed, with no failure
// in its consecutive count or its window.
func (b *Breaker) quiet() (calls uint64, ok bool) {
	calls = b.successes.load() + b.failures.Load() + b.rejected.load() + b.ignored.Load()
	now := b.since()
	b.mu.Lock()
	s, _ := b.effectiveLocked(now)
	ok = s == Closed && b.consec == 0
	if ok && b.win != nil {
		t := b.win.current(now)
		ok = t.failures == 0 && t.slow == 0
	}
	b.mu.Unlock()
	return calls, ok
}
