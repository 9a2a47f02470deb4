package runtime

import "sync/atomic"

// settle applies the outcome of a call admitted under word at start to the
// state of the circuit: in the generation the call was admitted in, and in
// no other.
func (b *Breaker) settle(word uint64, o Outcome, start int64) {
	s := stateOf(word)
	if o == Ignore && s == Closed {
		return
	}
	now, timed, slow := b.dateOutcome(word, o, start)
	b.mu.Lock()
	if !sameGeneration(b.loadWord(), word) {
		b.mu.Unlock()
		return // admitted in an older generation
	}
	var ev transition
	open := false
	if s == Closed {
		open = b.settleClosedLocked(o, slow, now)
	} else {
		ev, open = b.settleProbeLocked(o, slow, now)
	}
	if open {
		if !timed {
			now = b.since()
		}
		ev = b.setLocked(Open, now)
	}
	b.mu.Unlock()
	b.notify(ev)
}

// dateOutcome reads the clock before the lock is taken, so the outcome is
// dated when it came, and only if the outcome needs it: to time the call,
// to date it in an Over window, or to check that a half-open circuit's
// probes are not overdue. It reports whether it read the clock, and
// whether the call, a success, was slow (WithSlowCalls).
func (b *Breaker) dateOutcome(word uint64, o Outcome, start int64) (now int64, timed, slow bool) {
	s := stateOf(word)
	timed = word&flagTimed != 0 || s == Closed && b.win != nil && b.win.timed() ||
		s == HalfOpen && b.cfg.maxWait > 0
	if !timed {
		return 0, false, false
	}
	now = b.since()
	if slow = o == Success && word&flagTimed != 0 && now-start > int64(b.cfg.slowLimit); slow {
		b.slow.Add(1)
	}
	return now, true, slow
}

// settleClosedLocked counts the outcome of a call of the closed circuit,
// dated now, and reports whether it opens the circuit. b.mu must be held.
func (b *Breaker) settleClosedLocked(o Outcome, slow bool, now int64) (open bool) {
	switch o {
	case Success:
		if b.consec > 0 {
			b.outcomeLocked(false)
		}
		b.consec = 0
		b.markFailingLocked(false)
	case Failure:
		b.consec++
		b.markFailingLocked(true)
		b.outcomeLocked(true)
		open = b.cfg.threshold > 0 && b.consec >= b.cfg.threshold
	}
	if b.win != nil {
		t := tally{calls: 1}
		if o == Failure {
			t.failures = 1
		} else if slow {
			t.slow = 1
		}
		b.win.record(now, t)
		open = open || b.cfg.trips(b.win.sum)
	}
	return open
}

// settleProbeLocked counts the outcome of a probe of the half-open
// circuit, dated now: a success may close the circuit, a failed or slow
// probe opens it. An overdue probe (WithHalfOpenMaxWait) no longer counts:
// the circuit reopens as of when it became due. b.mu must be held.
func (b *Breaker) settleProbeLocked(o Outcome, slow bool, now int64) (ev transition, open bool) {
	if at, overdue := b.overdueLocked(now); overdue {
		// The circuit should have reopened already; this late result no
		// longer counts.
		return b.setLocked(Open, at), false
	}
	b.inflight--
	b.waitFrom = max(b.waitFrom, now) // a result came: the wait starts again
	switch {
	case o == Ignore:
	case o == Success && !slow:
		if b.probeOK++; int(b.probeOK) >= b.cfg.successes {
			ev = b.setLocked(Closed, 0)
		}
	default: // a failed or slow probe
		if o == Failure {
			b.consec++
		}
		open = true
	}
	return ev, open
}

// markFailingLocked sets or clears flagFailing in the closed circuit's
// word, within the generation. b.mu must be held.
func (b *Breaker) markFailingLocked(failing bool) {
	w := b.loadWord()
	if v := w&^flagFailing | flagIf(failing); v != w {
		atomic.StoreUint64(&b.word, v)
	}
}

func flagIf(set bool) uint64 {
	if set {
		return flagFailing
	}
	return 0
}
