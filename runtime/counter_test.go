package runtime

import (
	"fmt"
	"sync"
	"testing"
)

// TestCounterSerialStaysSmall checks that a counter incremented by one
// goroutine at a time keeps its word and counts exactly.
func TestCounterSerialStaysSmall(t *testing.T) {
	var c counter
	for range 1000 {
		c.add()
	}
	if got := c.load(); got != 1000 {
		t.Fatalf("load = %d, want 1000", got)
	}
	if c.cells.Load() != nil {
		t.Fatal("a counter never contended was inflated")
	}
}

// TestCounterConcurrentExact increments one counter from many goroutines,
// inflating it midway from another goroutine if contention has not done
// so, while a reader watches the count, and checks that no increment is
// lost and that the count never goes down.
func TestCounterConcurrentExact(t *testing.T) {
	const goroutines, each = 16, 5000
	var c counter
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range goroutines {
		wg.Go(func() {
			<-start
			for range each {
				c.add()
			}
		})
	}
	written := make(chan struct{}) // closed once every increment is made
	done := make(chan struct{})
	var readErr error
	go func() {
		defer close(done)
		<-start
		var last uint64
		for i := 0; ; i++ {
			if i == 100 {
				c.inflate()
			}
			n := c.load()
			if n < last {
				readErr = fmt.Errorf("load went down from %d to %d", last, n)
				return
			}
			last = n
			select {
			case <-written:
				if i >= 100 {
					return
				}
			default:
			}
		}
	}()
	close(start)
	wg.Wait()
	close(written)
	<-done
	if readErr != nil {
		t.Fatal(readErr)
	}
	if got := c.load(); got != goroutines*each {
		t.Fatalf("load = %d, want %d", got, goroutines*each)
	}
	if c.cells.Load() == nil {
		t.Fatal("the counter was not inflated")
	}
}

// TestCounterMarkedWithoutCells checks that an increment that finds the
// word marked inflated before it sees the cells inflates the counter
// itself and counts in a cell.
func TestCounterMarkedWithoutCells(t *testing.T) {
	var c counter
	c.add()
	c.n |= inflated
	c.add()
	if c.cells.Load() == nil {
		t.Fatal("no cells after an increment of a marked word")
	}
	c.add()
	if got := c.load(); got != 3 {
		t.Fatalf("load = %d, want 3", got)
	}
}

// TestBreakerCountsExact makes many goroutines succeed on one breaker and
// then be rejected by it, forced open, while another reads Stats and
// inflates the counter in use midway, as a collision would, and checks
// that every success and rejection is counted once.
func TestBreakerCountsExact(t *testing.T) {
	const goroutines, each = 32, 2000
	cb := New("hot")
	run := func(c *counter, call func()) {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range goroutines {
			wg.Go(func() {
				<-start
				for range each {
					call()
				}
			})
		}
		wg.Go(func() {
			<-start
			for i := range 100 {
				if i == 10 {
					c.inflate()
				}
				cb.Stats()
			}
		})
		close(start)
		wg.Wait()
	}
	run(&cb.successes, func() {
		if _, err := Do(cb, func() (int, error) { return 1, nil }); err != nil {
			t.Error(err)
		}
	})
	cb.ForceOpen()
	run(&cb.rejected, func() {
		if _, err := Do(cb, func() (int, error) { return 1, nil }); err == nil {
			t.Error("a call of the circuit forced open was admitted")
		}
	})
	s := cb.Stats()
	if s.Totals[Success] != goroutines*each || s.TotalRejected != goroutines*each {
		t.Fatalf("Totals[Success] %d, TotalRejected %d; want %d each", s.Totals[Success], s.TotalRejected, goroutines*each)
	}
	if cb.successes.striped() == nil || cb.rejected.striped() == nil {
		t.Fatal("counters not inflated")
	}
}

// TestClosedPathAllocatesNothing checks that the closed-state success
// path allocates nothing, before and after the success count inflates.
func TestClosedPathAllocatesNothing(t *testing.T) {
	cb := New("closed")
	call := func() {
		p, _ := cb.Allow()
		p.Done(nil)
	}
	if allocs := testing.AllocsPerRun(100, call); allocs != 0 {
		t.Fatalf("%v allocations per call with the count in one word", allocs)
	}
	cb.successes.inflate()
	if allocs := testing.AllocsPerRun(100, call); allocs != 0 {
		t.Fatalf("%v allocations per call with the count inflated", allocs)
	}
	if got := cb.Stats().Totals[Success]; got != 202 {
		t.Fatalf("Totals[Success] = %d, want 202 (AllocsPerRun calls once more than asked)", got)
	}
}
