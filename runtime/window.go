package runtime

import (
	"fmt"
	"time"
)

// A Window is the span of recent outcomes that WithFailureRate and
// WithSlowCalls compute their rates over: the last n outcomes (LastN) or
// the outcomes of the last stretch of time (Over). The zero Window is not
// valid.
type Window struct {
	n       int           // LastN: how many outcomes
	span    time.Duration // Over: how far back
	buckets int           // Over: how many buckets span is split into
}

// LastN returns a count-based window holding the last n outcomes. It keeps
// a byte per outcome and reads no clock. LastN panics if n < 1.
func LastN(n int) Window {
	if n < 1 {
		panic(fmt.Sprintf("runtime: LastN(%d): the window must hold at least 1 outcome", n))
	}
	return Window{n: n}
}

// Over returns a time-based window covering the last d in buckets that age
// out whole: an outcome counts for more than (buckets-1)·w and at most
// buckets·w after it was recorded, where w is d/buckets rounded down to the
// nanosecond. Recording an outcome reads the clock once. Over panics if d
// is not positive, buckets < 1, or a bucket would be under a nanosecond.
func Over(d time.Duration, buckets int) Window {
	if d <= 0 || buckets < 1 || d/time.Duration(buckets) == 0 {
		panic(fmt.Sprintf("runtime: Over(%v, %d): the span must be positive and split into at least 1 bucket of at least 1ns", d, buckets))
	}
	return Window{span: d, buckets: buckets}
}

// describe describes the window for messages, as in "last 100 calls" or
// "last 1m0s in 10 buckets".
func (w Window) describe() string {
	switch {
	case w.n > 0:
		return fmt.Sprintf("last %d calls", w.n)
	case w.buckets > 0:
		return fmt.Sprintf("last %v in %d buckets", w.span, w.buckets)
	}
	return "no window"
}

func (w Window) valid() bool { return w.n > 0 || w.buckets > 0 }

// tally counts outcomes: calls are successes plus failures; slow calls are
// successes too.
type tally struct {
	calls, failures, slow int
}

func (t *tally) add(u tally) {
	t.calls += u.calls
	t.failures += u.failures
	t.slow += u.slow
}

func (t *tally) sub(u tally) {
	t.calls -= u.calls
	t.failures -= u.failures
	t.slow -= u.slow
}

// window keeps the tally of a Window's outcomes. It is not safe for
// concurrent use: the breaker guards it with its mutex.
type window struct {
	sum tally

	// count-based: a ring of the last len(ring) outcomes, coded by ringCode
	ring   []uint8
	next   int // where the next outcome goes
	filled int // how many of ring hold an outcome

	// time-based: buckets[e%len(buckets)] holds the outcomes of epoch e,
	// the e-th bucket width since the breaker was created.
	buckets []tally
	width   int64
	epoch   int64 // the latest epoch seen; older buckets are aged out
}

func newWindow(w Window) *window {
	if w.n > 0 {
		return &window{ring: make([]uint8, w.n)}
	}
	return &window{buckets: make([]tally, w.buckets), width: int64(w.span) / int64(w.buckets)}
}

// timed reports whether recording needs the time.
func (w *window) timed() bool { return w.buckets != nil }

// ringCode packs one outcome into a byte: bit 0 failed, bit 1 slow.
func ringCode(o tally) uint8 { return uint8(o.failures | o.slow<<1) }

func ringOutcome(c uint8) tally {
	return tally{calls: 1, failures: int(c & 1), slow: int(c >> 1)}
}

// record adds one outcome, a tally of one call, at now, in nanoseconds
// since the breaker's base.
func (w *window) record(now int64, o tally) {
	if w.ring != nil {
		if w.filled == len(w.ring) {
			w.sum.sub(ringOutcome(w.ring[w.next]))
		} else {
			w.filled++
		}
		w.ring[w.next] = ringCode(o)
		w.next = (w.next + 1) % len(w.ring)
	} else {
		w.advance(now)
		w.buckets[w.epoch%int64(len(w.buckets))].add(o)
	}
	w.sum.add(o)
}

// advance ages out the buckets that fall out of the window at now. A clock
// that steps back records into the latest bucket.
func (w *window) advance(now int64) {
	e := now / w.width
	if e <= w.epoch {
		return
	}
	n := int64(len(w.buckets))
	if e-w.epoch >= n {
		clear(w.buckets)
		w.sum = tally{}
	} else {
		for i := w.epoch + 1; i <= e; i++ {
			w.sum.sub(w.buckets[i%n])
			w.buckets[i%n] = tally{}
		}
	}
	w.epoch = e
}

// reset forgets every outcome.
func (w *window) reset() {
	clear(w.ring)
	clear(w.buckets)
	w.next, w.filled = 0, 0
	w.sum = tally{}
}

// current returns the tally of the window at now, aging out old buckets.
func (w *window) current(now int64) tally {
	if w.buckets != nil {
		w.advance(now)
	}
	return w.sum
}
