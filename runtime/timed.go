package runtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A timedCall holds what a Permit of a breaker that times calls
// (WithSlowCalls) has no room for: a Permit is four words at most (see
// Permit). The Permit keeps the timedCall in its ctx field and, in place of
// the breaker's word, the timedCall's ticket with the word's flags.
// timedCalls are pooled, so timing a call allocates nothing once the pool
// is warm.
type timedCall struct {
	// ticket moves on when the call is reported. A copy of the Permit
	// reported later holds the old ticket, so it cannot claim the
	// timedCall, which may be timing another call by then.
	ticket atomic.Uint64
	word   uint64          // the breaker's word the call was admitted under
	ctx    context.Context // the caller's, or nil
	start  int64           // when the call was admitted, since the breaker's base
}

var timedCalls = sync.Pool{New: func() any { return new(timedCall) }}

// The methods make a *timedCall a context.Context, so that it fits in
// Permit.ctx. The breaker unwraps it before use and never hands it out.
func (t *timedCall) Deadline() (time.Time, bool) { return time.Time{}, false }
func (t *timedCall) Done() <-chan struct{}       { return nil }
func (t *timedCall) Err() error                  { return nil }
func (t *timedCall) Value(any) any               { return nil }

// startTimed makes p, just admitted under word w, a timed call that
// started at now.
func (p *Permit) startTimed(w uint64, now int64) {
	tc := timedCalls.Get().(*timedCall)
	tc.word, tc.ctx, tc.start = w, p.ctx, now
	p.ctx = tc
	p.word = tc.ticket.Load()<<genShift | w&(flagMask|stateMask)
}

// call returns what reporting p needs: the word it was admitted under, the
// caller's context and, for a timed call, its start. ok is false for a
// copy of a Permit whose timed call was reported already.
func (p *Permit) call() (word uint64, ctx context.Context, start int64, ok bool) {
	if p.word&flagTimed == 0 {
		return p.word, p.ctx, 0, true
	}
	tc := p.ctx.(*timedCall)
	if tc.ticket.Load() != p.word>>genShift {
		return 0, nil, 0, false
	}
	return tc.word, tc.ctx, tc.start, true
}

// finish ends a timed call, given p's ctx field, and returns its timedCall
// to the pool. It reports false if a copy of p finished it first, in which
// case p's result must not count.
func (p *Permit) finish(ctx context.Context) bool {
	if p.word&flagTimed == 0 {
		return true
	}
	tc := ctx.(*timedCall)
	ticket := p.word >> genShift
	if !tc.ticket.CompareAndSwap(ticket, ticket+1) {
		return false
	}
	tc.word, tc.ctx, tc.start = 0, nil, 0
	timedCalls.Put(tc)
	return true
}
