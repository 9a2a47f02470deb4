package runtime

import (
	"sync/atomic"
	"unsafe"
)

// stripes is the number of cells of a counter's stripes: a power of two, a
// few times the number of cores that are likely to hit one breaker at once.
const (
	stripeBits = 3
	stripes    = 1 << stripeBits
)

// A counter is a counter that starts as one word and inflates to stripes
// the first time two goroutines collide on that word. A breaker that is
// called from one goroutine at a time, as most breakers of a Set are,
// keeps the word: two words per counter instead of eight cache lines.
// A breaker hit by many cores at once inflates on the first collision, and
// from then on each increment goes to one of several cells on cache lines
// of their own, so the closed-state success path does not become the
// point where every core waits for the others.
//
// No increment is lost: an increment lands either in the word, by a
// CompareAndSwap that succeeded before the word was marked inflated, or in
// a cell, and a read adds the word and the cells.
type counter struct {
	_     [0]atomic.Uint64            // aligns n for 64-bit atomics on 32-bit platforms
	n     uint64                      // the count in the word, accessed atomically; inflated is set once it has cells
	cells atomic.Pointer[stripeCells] // nil until the first collision
}

// inflated is the bit of counter.n that sends increments to the cells.
const inflated = 1 << 63

// stripeCells are the cells of an inflated counter, each on a cache line
// of its own.
type stripeCells [stripes]struct {
	n atomic.Uint64
	_ [cacheLine - 8]byte
}

// add increments the counter. It is kept within the compiler's inlining
// budget. On the hottest paths, whose functions are not inlined
// themselves, take the cells first, which saves an inflated counter a
// call and a load:
//
//	if s := c.striped(); s != nil {
//		s.add(unsafe.Pointer(&local))
//	} else {
//		c.add()
//	}
func (c *counter) add() {
	if n := atomic.LoadUint64(&c.n); n < inflated && atomic.CompareAndSwapUint64(&c.n, n, n+1) {
		return
	}
	c.addCell()
}

// striped returns the counter's cells, nil until it inflates.
func (c *counter) striped() *stripeCells { return c.cells.Load() }

// addCell increments a cell of the counter, inflating it first if it has
// no cells yet. The cell is chosen by the address of a variable on the
// goroutine's stack: goroutines running at the same time have different
// stacks, so they mostly land on different cells.
func (c *counter) addCell() {
	s := c.cells.Load()
	if s == nil {
		s = c.inflate()
	}
	var hint byte
	s.add(unsafe.Pointer(&hint))
}

// inflate gives the counter its cells, if no other goroutine did, marks
// the word inflated, and returns the cells. An increment that read the
// word before the mark fails its CompareAndSwap after it, and takes a
// cell.
func (c *counter) inflate() *stripeCells {
	s := new(stripeCells)
	if !c.cells.CompareAndSwap(nil, s) {
		s = c.cells.Load()
	}
	atomic.OrUint64(&c.n, inflated)
	return s
}

// add increments the cell chosen by hint, the address of a variable on the
// caller's stack.
func (s *stripeCells) add(hint unsafe.Pointer) {
	h := uint64(uintptr(hint)>>10) * 0x9e3779b97f4a7c15 // Fibonacci hashing
	s[h>>(64-stripeBits)].n.Add(1)
}

// load returns the count: the word plus the cells.
func (c *counter) load() uint64 {
	sum := atomic.LoadUint64(&c.n) &^ inflated
	if s := c.cells.Load(); s != nil {
		for i := range s {
			sum += s[i].n.Load()
		}
	}
	return sum
}
