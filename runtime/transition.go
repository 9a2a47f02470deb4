package runtime

import (
	"math"
	"sync/atomic"
)

// transition is a state change to report once the lock is released.
type transition struct {
	from, to State
	ok       bool
	origin   string // the replica it was adopted from (runtime/shared)
}

// setLocked moves to state to as a new generation; now is the time since
// base, used when opening. b.mu must be held.
func (b *Breaker) setLocked(to State, now int64) transition {
	w := b.loadWord()
	from := stateOf(w)
	b.inflight, b.probeOK = 0, 0
	switch to {
	case Closed:
		b.consec = 0
		b.forced = false
		b.reopens, b.cooldown = 0, b.cfg.cooldown
		if b.win != nil {
			b.win.reset()
		}
	case Open:
		until := int64(forever)
		if !b.forced {
			if from == HalfOpen {
				if b.reopens < math.MaxInt32 {
					b.reopens++
				}
				b.cooldown = b.nextCooldown
			} else {
				b.cooldown = b.cfg.cooldownAt(0) // from closed, where reopens is 0
			}
			until = addSat(now, b.cooldown)
		}
		b.openUntil.Store(until)
	case HalfOpen:
		b.nextCooldown = b.cfg.cooldownAt(int(b.reopens) + 1)
	}
	atomic.StoreUint64(&b.word, (w>>genShift+1)<<genShift|w&flagMask|uint64(to)) // flagFailing is for closed circuits with failures
	b.armLocked()
	// With runtime/shared: publish a local change, or name the replica of a remote one.
	origin := b.changedLocked(from, to)
	if from == to {
		return transition{}
	}
	ev := transition{from: from, to: to, ok: true, origin: origin}
	b.recordLocked(ev)
	return ev
}

// recordLocked counts the state change ev and queues it for the observers,
// allocating the count on the breaker's first change and the queue on the
// first change since the last delivery, as most breakers of a Set never
// change. b.mu must be held.
func (b *Breaker) recordLocked(ev transition) {
	h := b.historyLocked()
	h.pairs.add(ev.from, ev.to)
	if b.observed() {
		if h.pending == nil {
			h.pending = new([]transition)
		}
		*h.pending = append(*h.pending, ev)
	}
}

// Reset closes the circuit and clears the consecutive-failure count. It ends
// a ForceOpen. Calls admitted before Reset no longer count.
func (b *Breaker) Reset() {
	b.mu.Lock()
	ev := b.setLocked(Closed, 0)
	b.mu.Unlock()
	b.notify(ev)
}

// ForceOpen opens the circuit and keeps it open until Reset, for an operator
// or a dependency that asked to be left alone (an HTTP 429, say). Rejections
// suggest retrying after one cooldown.
func (b *Breaker) ForceOpen() {
	b.mu.Lock()
	b.forced = true
	ev := b.setLocked(Open, 0)
	b.mu.Unlock()
	b.notify(ev)
}
