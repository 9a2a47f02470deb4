package runtime

import (
	"sync/atomic"
	"unsafe"
)

// stripes is the number of cells of a stripedCounter: a power of two, a few
// times the number of cores that are likely to hit one breaker at once.
const (
	stripeBits = 3
	stripes    = 1 << stripeBits
)

// A stripedCounter is a counter that many goroutines can increment without
// fighting over one cache line: each increment goes to one of several cells
// on cache lines of their own, and a read adds the cells up. It keeps the
// success count of the closed-state path from becoming the point where
// every core waits for the others.
type stripedCounter struct {
	cells [stripes]struct {
		n atomic.Uint64
		_ [cacheLine - 8]byte
	}
}

// add increments the cell chosen by hint, the address of a variable on the
// caller's stack: goroutines running at the same time have different
// stacks, so they mostly land on different cells.
func (c *stripedCounter) add(hint unsafe.Pointer) {
	h := uint64(uintptr(hint)>>10) * 0x9e3779b97f4a7c15 // Fibonacci hashing
	c.cells[h>>(64-stripeBits)].n.Add(1)
}

// load returns the sum of the cells.
func (c *stripedCounter) load() uint64 {
	var sum uint64
	for i := range c.cells {
		sum += c.cells[i].n.Load()
	}
	return sum
}
