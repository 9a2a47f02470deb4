package runtime

import (
	"context"
	"errors"
	"unsafe"
)

// Done reports the result of the call: a nil err is a Success, any other is
// classified by the breaker's classifier.
func (p *Permit) Done(err error) {
	b := p.b
	if b == nil {
		return
	}
	// The closed-state success path: nothing to change unless failures
	// were being counted.
	if err == nil && b.loadWord() == p.word && p.word&(stateMask|flagRecord) == uint64(Closed) && b.consec.Load() == 0 {
		p.b = nil
		b.successes.add(unsafe.Pointer(p))
		return
	}
	p.done(err)
}

func (p *Permit) done(err error) {
	word, ctx, start, ok := p.call()
	o := Success
	if ok && err != nil {
		// The classifier may panic: p stays unreported until it returns,
		// so the deferred Release still counts a failure.
		o = p.b.classify(ctx, err)
	}
	p.submit(o, word, start, ok)
}

// classify returns the outcome of a non-nil error. A failure while the
// caller's own context is canceled is the caller leaving, not the
// dependency failing; a deadline that ran out still counts as a failure.
func (b *Breaker) classify(ctx context.Context, err error) Outcome {
	o := b.cfg.classify(err)
	if o > Ignore {
		o = Failure // not an Outcome the breaker knows
	}
	if o == Failure && ctx != nil && errors.Is(ctx.Err(), context.Canceled) {
		o = Ignore
	}
	return o
}

// Release reports a failure if the result has not been reported with Done,
// as when the call panicked or called runtime.Goexit. Defer it right after
// Allow succeeds.
func (p *Permit) Release() {
	if p.b != nil {
		p.release()
	}
}

func (p *Permit) release() {
	word, _, start, ok := p.call()
	p.submit(Failure, word, start, ok)
}

// submit marks p reported and, unless it is a stale copy (ok false, or
// beaten to a timed call by another copy), counts outcome o of the call
// admitted under word at start.
func (p *Permit) submit(o Outcome, word uint64, start int64, ok bool) {
	b, ctx := p.b, p.ctx
	p.b, p.ctx = nil, nil
	if ok && p.finish(ctx) {
		b.countTotal(o)
		b.settle(word, o, start)
	}
}

// countTotal adds outcome o to the lifetime totals of Stats.
func (b *Breaker) countTotal(o Outcome) {
	switch o {
	case Success:
		b.successes.add(unsafe.Pointer(&o))
	case Failure:
		b.failures.Add(1)
	case Ignore:
		b.ignored.Add(1)
	}
}
