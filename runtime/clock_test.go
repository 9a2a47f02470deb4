package runtime

import (
	"bytes"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// fakeClock is a clock that moves only when told to. It counts its reads.
type fakeClock struct {
	mu    sync.Mutex
	start time.Time
	t     time.Time
	reads atomic.Int64
}

func newFakeClock() *fakeClock {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return &fakeClock{start: start, t: start}
}

func (c *fakeClock) Now() time.Time {
	c.reads.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to d after its start, forward or back.
func (c *fakeClock) Set(d time.Duration) {
	c.mu.Lock()
	c.t = c.start.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// halfOpen returns a breaker that opened on its first failure and whose
// cooldown has passed, so its next call is a probe.
func halfOpen(name string, opts ...Option) (*Breaker, *fakeClock) {
	clk := newFakeClock()
	cb := New(name, append([]Option{WithClock(clk.Now), WithFailureThreshold(1)}, opts...)...)
	p, _ := cb.Allow()
	p.Done(errBoom)
	clk.Advance(DefaultCooldown)
	return cb, clk
}

// hammer starts n goroutines at once, each running body(g), and waits for
// them.
func hammer(n int, body func(g int)) {
	var start, wg sync.WaitGroup
	start.Add(1)
	for g := range n {
		wg.Go(func() {
			start.Wait()
			body(g)
		})
	}
	start.Done()
	wg.Wait()
}

// textLogger logs to buf in slog's text format, without times.
func textLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}
