package breakerotel

import (
	"math"
	"time"
	"weak"

	"github.com/breakergen/breakergen/runtime"
)

// retention is how long Metrics keeps the counts of a breaker name that no
// collection sees, so that the name's counters go on from them if it comes
// back. It must be longer than any reader's collection interval.
const retention = 10 * time.Minute

// counts are the values of a breaker's counters, as the instruments
// report them.
type counts struct {
	calls [numOutcomes]uint64
	slow  uint64
	pairs [len(states)][len(states)]uint64
}

// countsOf returns the counters of s.
func countsOf(s *runtime.Stats) counts {
	c := counts{slow: s.TotalSlow, pairs: s.TransitionCounts}
	c.calls[success] = s.TotalSuccesses
	c.calls[failure] = s.TotalFailures
	c.calls[ignore] = s.TotalIgnored
	c.calls[rejected] = s.TotalRejected
	c.calls[shadowRejected] = s.TotalShadowRejected
	return c
}

// plus returns c + d, each counter saturating at the largest uint64.
func (c counts) plus(d *counts) counts {
	add := func(a, b uint64) uint64 {
		if a > math.MaxUint64-b {
			return math.MaxUint64
		}
		return a + b
	}
	for i := range c.calls {
		c.calls[i] = add(c.calls[i], d.calls[i])
	}
	c.slow = add(c.slow, d.slow)
	for i := range c.pairs {
		for j := range c.pairs[i] {
			c.pairs[i][j] = add(c.pairs[i][j], d.pairs[i][j])
		}
	}
	return c
}

// stream is what Metrics keeps of one breaker name, so that the name's
// counters never go back when another breaker takes the name (a Set key
// removed or evicted and made again, a single breaker replacing another):
// the counts of the breakers that held the name before (base) plus those
// of the breaker that holds it now. While no breaker holds the name, the
// stream reports the counts the name reached, for retention: every reader
// sees the name without a gap, so a delta reader reports 0, not the whole
// count again when the name comes back.
type stream struct {
	attrs    *attrs
	shadowed bool // whether a breaker of the name was in shadow mode

	cur  *runtime.Breaker              // the breaker observed, while one is
	gone weak.Pointer[runtime.Breaker] // the breaker observed last, once none is
	last counts                        // its counts at the last collection that saw it
	base counts                        // the counts of the breakers before it

	seen   uint64    // the collection that last saw the name
	seenAt time.Time // and when
}

// observe records that collection, at now, sees b under the stream's name
// with the counters of s, and returns the name's counters: b's plus those
// of the breakers the name had before. When b is not the breaker seen last,
// that one's counts go into base: its final ones if it is still in memory,
// or those the last collection saw.
func (st *stream) observe(b *runtime.Breaker, s *runtime.Stats, collection uint64, now time.Time) counts {
	if b != st.cur {
		prev := st.cur
		if prev == nil {
			prev = st.gone.Value() // nil if never seen, or no longer in memory
		}
		if prev != b {
			if prev != nil {
				ps := prev.Stats()
				st.last = countsOf(&ps)
			}
			st.base = st.base.plus(&st.last)
			st.last = counts{}
		}
		st.cur, st.gone = b, weak.Pointer[runtime.Breaker]{}
	}
	st.last = countsOf(s)
	st.seen, st.seenAt = collection, now
	return st.base.plus(&st.last)
}

// linger is called by a collection, at now, that does not see the stream's
// name: it lets go of the breaker, keeping only a weak pointer to know it
// if it comes back, and returns the counts the name reached, and whether
// to report them: false once the name has gone unseen for longer than
// retention, when the stream is to be forgotten.
func (st *stream) linger(now time.Time) (counts, bool) {
	if st.cur != nil {
		st.gone, st.cur = weak.Make(st.cur), nil
	}
	return st.base.plus(&st.last), now.Sub(st.seenAt) <= retention
}
