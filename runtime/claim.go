package runtime

import (
	"context"
	"sync"
	"sync/atomic"
)

// A claim is what the copies of one Permit share when a copy must not
// count again: the Permit of a probe, whose second report would free a
// probe slot the call still holds or count a success twice, and of a
// timed call, whose start time does not fit in a Permit. The first copy to
// report moves the claim's ticket on and so owns the outcome; a copy still
// holding the old ticket finds it gone and does nothing, even after the
// claim went back to the pool and times another call. Claims are pooled,
// so probes and timed calls allocate nothing once the pool is warm.
type claim struct {
	ticket atomic.Uint64   // below 1<<ticketBits, so that it fits in Permit.word
	word   uint64          // the breaker's word the call was admitted under
	ctx    context.Context // the caller's, or nil
	start  int64           // when a timed call was admitted, since the breaker's base
}

const (
	ticketBits = 64 - genShift
	ticketMask = 1<<ticketBits - 1
)

var claims = sync.Pool{New: func() any { return new(claim) }}

// track gives p, just admitted under word w at start, a claim for its
// copies to share.
func (p *Permit) track(w uint64, start int64) {
	c := claims.Get().(*claim)
	ctx, _ := p.ref.(context.Context)
	c.word, c.ctx, c.start = w, ctx, start
	p.ref = c
	p.word = c.ticket.Load()<<genShift | w&(flagMask|stateMask)
}

// A call is what counting the outcome of one admitted call needs.
type call struct {
	b     *Breaker
	word  uint64          // the breaker's word the call was admitted under
	ctx   context.Context // the caller's, or nil
	start int64           // when a timed call was admitted
}

// take marks p reported and returns its call. It reports false if p was
// reported already, by itself or by a copy that shares its claim; then the
// outcome must not count.
func (p *Permit) take() (c call, ok bool) {
	c.b, c.word = p.b, p.word
	ref := p.ref
	p.b, p.ref, p.word = nil, nil, spent
	if c.b == nil || c.word == spent {
		return c, false
	}
	cl, shared := ref.(*claim)
	if !shared {
		c.ctx, _ = ref.(context.Context)
		return c, true
	}
	ticket := c.word >> genShift
	if !cl.ticket.CompareAndSwap(ticket, (ticket+1)&ticketMask) {
		return c, false // a copy reported first
	}
	c.word, c.ctx, c.start = cl.word, cl.ctx, cl.start
	cl.word, cl.ctx, cl.start = 0, nil, 0
	claims.Put(cl)
	return c, true
}
