package runtime

// since returns the time since s was created, in nanoseconds, on the
// clock of its breakers.
func (s *Set) since() int64 { return s.cfg.since() }

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
	tick, idle := s.tick(now), s.idleTicks()
	for key, b := range s.m.all {
		calls, quiet := b.quiet()
		switch last, seen := unpackSwept(b.swept); {
		case uint32(calls) != last:
			b.swept = packSwept(calls, tick)
		case quiet && tick-seen > idle:
			// A call that reports between the look and the delete counts
			// on the evicted breaker, as does one still running: putting
			// the breaker back could undo a Remove made meanwhile.
			s.m.delete(key, b)
		}
	}
}

// The sweep word of a breaker of a Set with WithIdleEviction, owned by
// the sweep: the low 32 bits of the breaker's call count at the last sweep
// that saw it move, and when that sweep ran, in ticks of s.every(). Both
// wrap: a breaker whose count moved by a multiple of 2³² between two
// sweeps can be taken for idle, and is then evicted only if it holds no
// failure; one that no sweep saw for 2³¹ ticks may be evicted a tick
// early or kept a while longer.
func packSwept(calls uint64, tick uint32) uint64 { return uint64(uint32(calls))<<32 | uint64(tick) }

func unpackSwept(w uint64) (calls, tick uint32) { return uint32(w >> 32), uint32(w) }

// tick returns now in ticks of s.every().
func (s *Set) tick(now int64) uint32 { return uint32(now / s.every()) }

// idleTicks returns the ticks of s.every() after which a breaker seen at a
// tick has been idle for s.idle at least: more than idle/every of them.
func (s *Set) idleTicks() uint32 { return uint32((s.idle + s.every() - 1) / s.every()) }

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
