package breakerotel

import (
	"math"
	"slices"
	"time"
	"weak"

	"github.com/breakergen/breakergen/internal/metricname"
	"github.com/breakergen/breakergen/runtime"
)

// retention is how long Metrics keeps the counts of a breaker name that no
// collection sees, so that the name's counters go on from them if it comes
// back. It must be longer than any reader's collection interval.
const retention = 10 * time.Minute

// counts are the values of a breaker's counters, as the instruments
// report them.
type counts struct {
	calls [metricname.NumOutcomes]uint64
	slow  uint64
	pairs [len(metricname.States)][len(metricname.States)]uint64
}

// countsOf returns the counters of s, of a breaker in shadow mode if
// shadow (see metricname.Calls).
func countsOf(s *runtime.Stats, shadow bool) counts {
	return counts{calls: metricname.Calls(s, shadow), slow: s.TotalSlow, pairs: s.TransitionCounts}
}

// plus returns c + d, each counter saturating at the largest uint64.
func (c counts) plus(d *counts) counts {
	return c.each(d, func(a, b uint64) uint64 {
		if a > math.MaxUint64-b {
			return math.MaxUint64
		}
		return a + b
	})
}

// minus returns c - d, each counter at least 0.
func (c counts) minus(d *counts) counts {
	return c.each(d, func(a, b uint64) uint64 { return a - min(a, b) })
}

// each returns c with every counter set to op of it and d's.
func (c counts) each(d *counts, op func(a, b uint64) uint64) counts {
	for i := range c.calls {
		c.calls[i] = op(c.calls[i], d.calls[i])
	}
	c.slow = op(c.slow, d.slow)
	for i := range c.pairs {
		for j := range c.pairs[i] {
			c.pairs[i][j] = op(c.pairs[i][j], d.pairs[i][j])
		}
	}
	return c
}

// stream is what Metrics keeps of one breaker name, so that the name's
// counters never go back when another breaker takes the name (a Set key
// removed or evicted and made again, a single breaker replacing another):
// the counts of the breakers that held the name before (base), each
// counted once, plus those of the breaker that holds it now. While no
// breaker holds the name, the stream reports the counts the name reached,
// for retention: every reader sees the name without a gap, so a delta
// reader reports 0, not the whole count again when the name comes back.
type stream struct {
	attrs    *attrs
	shadowed bool // whether a breaker of the name was in shadow mode

	cur  *runtime.Breaker // the breaker that holds the name, nil while none does
	last counts           // its counts at the last collection
	base counts           // the counts of the breakers that held the name before
	// earlier are those breakers while they are in memory, with the counts
	// of theirs that base holds, so that one that takes the name back goes
	// on from its own counts instead of adding them again. It is short:
	// prune drops the breakers the garbage collector took.
	earlier []earlier

	seen   uint64    // the collection that last saw the name
	seenAt time.Time // and when
}

// observe records that collection, at now, sees b under the stream's name
// with the counters of s and its configuration cfg, and returns the name's
// counters: b's plus those of the breakers the name had before.
func (st *stream) observe(b *runtime.Breaker, s *runtime.Stats, cfg *runtime.Config, collection uint64, now time.Time) counts {
	if b != st.cur {
		st.retire()
		if len(st.earlier) > 0 {
			w := weak.Make(b)
			if i := slices.IndexFunc(st.earlier, func(e earlier) bool { return e.b == w }); i >= 0 {
				st.base = st.base.minus(&st.earlier[i].counts) // b is back
				st.earlier = slices.Delete(st.earlier, i, i+1)
			}
		}
		st.cur = b
	}
	st.last = countsOf(s, cfg.Shadow)
	st.seen, st.seenAt = collection, now
	return st.base.plus(&st.last)
}

// retire moves the counts of the breaker that held the name into base,
// its final ones, read now, and remembers them in earlier.
func (st *stream) retire() {
	if st.cur == nil {
		return
	}
	s := st.cur.Stats()
	c := countsOf(&s, st.cur.Config().Shadow)
	st.base = st.base.plus(&c)
	st.prune()
	st.earlier = append(st.earlier, earlier{weak.Make(st.cur), c})
	st.cur, st.last = nil, counts{}
}

// prune forgets the earlier breakers that are no longer in memory: they
// cannot take the name back.
func (st *stream) prune() {
	st.earlier = slices.DeleteFunc(st.earlier, func(e earlier) bool { return e.b.Value() == nil })
	if len(st.earlier) == 0 {
		st.earlier = nil // lets go of the array
	}
}

// earlier is a breaker that held a name, and its counts when it stopped.
type earlier struct {
	b weak.Pointer[runtime.Breaker]
	counts
}

// linger is called by a collection, at now, that does not see the stream's
// name: it retires the breaker that held it, and returns the counts the
// name reached, and whether to report them: false once the name has gone
// unseen for longer than retention, when the stream is to be forgotten.
func (st *stream) linger(now time.Time) (counts, bool) {
	st.retire()
	st.prune()
	return st.base, now.Sub(st.seenAt) <= retention
}
