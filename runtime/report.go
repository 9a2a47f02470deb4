package runtime

import (
	"context"
	"errors"
	"unsafe"
)

// Done reports the result of the call: a nil err is a Success, any other is
// classified by the breaker's classifier. A classifier that panics counts
// a failure before the panic goes on.
func (p *Permit) Done(err error) {
	// The closed-state success path: nothing to change unless failures
	// were being counted (flagFailing) or outcomes are recorded
	// (flagRecord, set for timed calls too). A Permit that was reported
	// already is spent, whose state bits fail the test.
	b := p.b
	if err == nil && p.word&(stateMask|flagRecord|flagFailing) == uint64(Closed) && b != nil && b.loadWord() == p.word {
		p.word = spent
		if s := b.successes.striped(); s != nil {
			s.add(unsafe.Pointer(p))
		} else {
			b.successes.add()
		}
		return
	}
	p.done(err)
}

func (p *Permit) done(err error) {
	c, ok := p.take()
	if !ok {
		return
	}
	if err == nil {
		c.count(Success)
		return
	}
	o := Failure // what counts if the classifier panics or exits the goroutine
	defer func() { c.count(o) }()
	o = c.b.classify(c.ctx, err)
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
// Allow succeeds. The failure counts even if the caller's context was
// canceled: the call did not return, so the caller leaving cannot explain
// it.
func (p *Permit) Release() {
	if p.word != spent {
		p.release()
	}
}

func (p *Permit) release() {
	if c, ok := p.take(); ok {
		c.count(Failure)
	}
}

// count adds outcome o to the breaker's totals and applies it to the
// state of the generation c was admitted in.
func (c *call) count(o Outcome) {
	c.b.countTotal(o)
	c.b.settle(c.word, o, c.start)
}

// countTotal adds outcome o to the lifetime totals of Stats. They count
// every outcome once, whether or not it came too late to change the state.
func (b *Breaker) countTotal(o Outcome) {
	switch o {
	case Success:
		b.successes.add()
	case Failure:
		b.failures.Add(1)
	case Ignore:
		b.ignored.Add(1)
	}
}
