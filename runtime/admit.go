package runtime

import (
	"context"
	"sync/atomic"
)

// A Permit is one admitted call. Report its result with Done, and defer
// Release so that a panic or runtime.Goexit in the call counts as a failure.
// Only the first Done or Release of a Permit counts; the zero Permit does
// nothing. A Permit must not be copied (go vet reports copies): pass a
// *Permit to a function that reports it, since each copy of a closed
// circuit's Permit counts on its own.
type Permit struct {
	_ noCopy
	b *Breaker
	// ref is AllowContext's context.Context, or, for a probe or a timed
	// call, the *claim its copies share (see claim.go), which holds the
	// caller's context then; nil otherwise. One field with two uses keeps
	// a Permit to four words. That is worth it: with the context and the
	// claim in two fields, the default closed path measured 34% slower in
	// the bench module (Closed/breakergen, 18.3 to 24.6 ns, p=0.003) and
	// the runtime's AllowDone/serial 82% slower, in one interleaved run
	// of bench/ab.sh. admit_64bit_test.go keeps it to four words.
	ref any
	// word is the breaker's word the call was admitted under or, with a
	// claim, the claim's ticket in place of the generation; spent once
	// the result is reported.
	word uint64
}

// noCopy makes go vet's copylocks check report copies of the struct that
// holds it. It takes no space.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// Allow asks for permission to make one call. If the circuit is open, or
// half-open with every probe slot taken, it returns a *CircuitBreakerError
// and the call must not be made.
func (b *Breaker) Allow() (p Permit, err error) {
	// Kept within the compiler's inlining budget: one atomic load and a
	// branch on the closed path. p's address is never taken here, so the
	// caller's Permit receives it from registers.
	p.b, p.word = b, atomic.LoadUint64(&b.word)
	if p.word&(stateMask|flagTimed) != uint64(Closed) {
		p, err = b.admit(nil)
	}
	return
}

// AllowContext is Allow for a call made on behalf of ctx. If ctx is already
// done it returns ctx.Err() without taking a permit. A failure reported
// with Done while ctx is canceled counts as Ignore: the caller gave up. A
// deadline that runs out is still a failure, and so is Release.
func (b *Breaker) AllowContext(ctx context.Context) (Permit, error) {
	if err := ctx.Err(); err != nil {
		return Permit{}, err
	}
	if w := atomic.LoadUint64(&b.word); w&(stateMask|flagTimed) == uint64(Closed) {
		return Permit{b: b, ref: ctx, word: w}, nil
	}
	return b.admit(ctx)
}

// admit takes the slow path of Allow for a call made on behalf of ref, the
// caller's context.Context or nil: it returns a Permit with the word the
// call is admitted under and, for a probe or a timed call, the claim its
// copies share, or the rejection. In shadow mode a rejection is an empty
// Permit and no error.
func (b *Breaker) admit(ref any) (p Permit, err error) {
	if rejected, err := b.rejectCooling(b.loadWord()); rejected {
		return Permit{}, err
	}
	w, err := b.allowSlow()
	if err != nil {
		if b.cfg.shadow {
			err = nil // counted as rejected; the call goes ahead unguarded
		}
		return
	}
	p.b, p.ref, p.word = b, ref, w
	if w&flagTimed != 0 {
		p.track(w, b.since())
	} else if stateOf(w) == HalfOpen {
		p.track(w, 0)
	}
	return
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
		return b.rejectFor(w, Open, b.cfg.cooldown) // forced open: suggest a cooldown
	}
	if now < until {
		return b.rejectAt(w, until)
	}
	if ok, retry := b.mayProbe(w, now); !ok {
		return b.rejectFor(w, HalfOpen, retry) // another replica probes (runtime/shared)
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
	if int(b.inflight) < b.cfg.probes && int(b.inflight+b.probeOK) < max(b.cfg.probes, b.cfg.successes) {
		if b.inflight == 0 {
			b.waitFrom = now // the wait for a result starts
		}
		b.inflight++
		b.mu.Unlock()
		return true, nil
	}
	retry := b.cooldown
	b.mu.Unlock()
	return false, b.rejectFor(w, HalfOpen, retry)
}
