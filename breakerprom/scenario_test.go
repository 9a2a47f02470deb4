package breakerprom

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// fakeClock moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var errBoom = errors.New("boom")

// call makes one call through b that takes d on clk and returns err; it
// reports whether the call was admitted.
func call(b *runtime.Breaker, clk *fakeClock, d time.Duration, err error) bool {
	p, aerr := b.Allow()
	if aerr != nil {
		return false
	}
	defer p.Release()
	clk.Advance(d)
	p.Done(err)
	return true
}

// must fails loudly if a step of a scenario did not go as planned.
func must(ok bool, step string) {
	if !ok {
		panic(fmt.Sprintf("scenario: %s did not happen", step))
	}
}

var errCanceled = fmt.Errorf("caller left: %w", context.Canceled)
