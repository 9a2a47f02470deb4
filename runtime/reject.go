package runtime

import (
	"time"
	"unsafe"
)

// The open circuit's rejections read no clock and write no shared cache
// line while its cooldown runs: the opening stores the error they all
// return in b.cooling, a timer clears it when the cooldown ends, and each
// rejection counts in a counter that stripes once callers collide
// (counter.go). Only then does a call take the slow path, which reads the
// clock and turns the circuit half-open. A breaker with an injected clock
// (breakertest.WithClock) has no timer, since only the test moves its
// time: its rejections read that clock.

// rejectCooling rejects a call of the circuit whose word is w if its
// cooldown runs, as the timer says. It reports whether it did; in shadow
// mode the rejection is counted and err is nil.
func (b *Breaker) rejectCooling(w uint64) (rejected bool, err error) {
	e := b.cooling.Load()
	if e == nil || e.word != w {
		return false, nil
	}
	if s := b.rejected.striped(); s != nil {
		s.add(unsafe.Pointer(&w))
	} else {
		b.rejected.add()
	}
	if b.cfg.shadow {
		return true, nil
	}
	return true, e
}

// armLocked makes the rejections of the circuit just opened, whose word
// is w, take the path of rejectCooling until its cooldown ends. b.mu must
// be held.
func (b *Breaker) armLocked() {
	b.disarmLocked()
	w := b.loadWord()
	if stateOf(w) != Open {
		return
	}
	until := b.openUntil.Load()
	if until == forever { // forced open until Reset: no timer needed
		b.cooling.Store(&CircuitBreakerError{name: b.name, state: Open, wait: b.cfg.cooldown, word: w})
		return
	}
	if b.cfg.ext.Now != nil {
		return // only the test moves time: calls read the clock
	}
	d := time.Duration(until - b.since())
	if d <= 0 {
		return
	}
	e := &CircuitBreakerError{name: b.name, state: Open, b: b, at: until, word: w}
	b.cooling.Store(e)
	b.historyLocked().timer = time.AfterFunc(d, func() { b.cooling.CompareAndSwap(e, nil) })
}

// disarmLocked ends the rejections of rejectCooling. b.mu must be held.
func (b *Breaker) disarmLocked() {
	b.cooling.Store(nil)
	if h := b.hist; h != nil && h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
}

// rejectAt counts a rejection of the circuit of word w, which may admit a
// call at until (in b's time), and returns its error.
func (b *Breaker) rejectAt(w uint64, until int64) error {
	return b.reject(CircuitBreakerError{name: b.name, state: Open, b: b, at: until, word: w})
}

// rejectFor counts a rejection of the circuit of word w in state s, which
// suggests waiting d, and returns its error.
func (b *Breaker) rejectFor(w uint64, s State, d time.Duration) error {
	return b.reject(CircuitBreakerError{name: b.name, state: s, wait: d, word: w})
}

// reject counts a rejection and returns its error, the previous one's
// value if it says the same, so that a storm of rejections allocates
// once.
func (b *Breaker) reject(want CircuitBreakerError) error {
	b.rejected.add()
	if e := b.lastReject.Load(); e != nil && *e == want {
		return e
	}
	e := &want
	b.lastReject.Store(e)
	return e
}
