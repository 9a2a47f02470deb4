package runtime

import (
	"context"
	"sync/atomic"
)

// A Permit is one admitted call. Report its result with Done, and defer
// Release so that a panic or runtime.Goexit in the call counts as a failure.
// Only the first Done or Release of a Permit counts; the zero Permit does
// nothing.
type Permit struct {
	b    *Breaker // nil once the result is reported
	ctx  context.Context
	word uint64
	// A Permit is kept to four words, which the compiler passes in
	// registers: a fifth word makes every Allow copy it through memory,
	// costing the default path about 8ns. A breaker that times calls keeps
	// what does not fit in a timedCall (see timed.go).
}

// Allow asks for permission to make one call. If the circuit is open, or
// half-open with every probe slot taken, it returns a *CircuitBreakerError
// and the call must not be made.
func (b *Breaker) Allow() (p Permit, err error) {
	// Kept within the compiler's inlining budget: one atomic load and a
	// branch on the closed path.
	p.b, p.word = b, atomic.LoadUint64(&b.word)
	if p.word&(stateMask|flagTimed) != uint64(Closed) {
		err = p.admit()
	}
	return
}

// AllowContext is Allow for a call made on behalf of ctx. If ctx is already
// done it returns ctx.Err() without taking a permit, so a dead request cannot
// use up a half-open probe. A failure reported while ctx is canceled counts
// as Ignore: the caller gave up, the dependency did not necessarily fail. A
// deadline that runs out during the call is still a failure.
func (b *Breaker) AllowContext(ctx context.Context) (p Permit, err error) {
	if err = ctx.Err(); err != nil {
		return p, err
	}
	p.b, p.ctx, p.word = b, ctx, atomic.LoadUint64(&b.word)
	if p.word&(stateMask|flagTimed) != uint64(Closed) {
		err = p.admit()
	}
	return p, err
}

// admit takes the slow path of Allow: it fills in the word p is admitted
// under and, if calls are timed, the time, or empties p and returns the
// rejection.
func (p *Permit) admit() error {
	w, err := p.b.allowSlow()
	if err != nil {
		shadow := p.b.cfg.shadow
		*p = Permit{}
		if shadow {
			return nil // counted as rejected; the call goes ahead unguarded
		}
		return err
	}
	p.word = w
	if w&flagTimed != 0 {
		p.startTimed(w, p.b.since())
	}
	return nil
}

// allowSlow admits or rejects a call when the circuit is not closed, and
// returns the word the call is admitted under.
func (b *Breaker) allowSlow() (uint64, error) {
	for {
		w := b.loadWord()
		switch stateOf(w) {
		case Closed:
			return w, nil
		case Open:
			if err := b.endCooldown(w); err != nil {
				return 0, err
			}
		case HalfOpen:
			admitted, err := b.admitProbe(w)
			if err != nil {
				return 0, err
			}
			if admitted {
				return w, nil
			}
		}
	}
}

// endCooldown rejects a call of the circuit opened as word w while its
// cooldown runs; once it has run, it makes the circuit half-open and
// returns nil, and the caller looks at the state again.
func (b *Breaker) endCooldown(w uint64) error {
	now := b.since()
	until := b.openUntil.Load()
	if b.loadWord() != w {
		return nil // openUntil belongs to another generation
	}
	if until == forever {
		return b.reject(Open, b.cfg.cooldown) // forced open: suggest a cooldown
	}
	if now < until {
		return b.reject(Open, subSat(until, now))
	}
	b.mu.Lock()
	var ev transition
	if b.loadWord() == w {
		ev = b.setLocked(HalfOpen, now)
	}
	b.mu.Unlock()
	b.notify(ev)
	return nil
}

// admitProbe admits a probe of the circuit made half-open as word w if a
// probe slot is free, or rejects the call. It reports false and no error
// if the state changed meanwhile, and the caller looks at it again.
func (b *Breaker) admitProbe(w uint64) (admitted bool, err error) {
	b.mu.Lock()
	if b.loadWord() != w {
		b.mu.Unlock()
		return false, nil
	}
	var now int64
	if b.cfg.maxWait > 0 {
		now = b.since() // under the lock, so waiting for it cannot date the probe early
	}
	if at, overdue := b.overdueLocked(now); overdue {
		ev := b.setLocked(Open, at)
		b.mu.Unlock()
		b.notify(ev)
		return false, nil // the reopened circuit may be due a probe already
	}
	// At most probes in flight, and no more in all than closing the
	// circuit can take.
	if b.inflight < b.cfg.probes && b.inflight+b.probeOK < max(b.cfg.probes, b.cfg.successes) {
		if b.inflight == 0 {
			b.waitFrom = now // the wait for a result starts
		}
		b.inflight++
		b.mu.Unlock()
		return true, nil
	}
	retry := b.cooldown
	b.mu.Unlock()
	return false, b.reject(HalfOpen, retry)
}
