package runtime

import (
	"bytes"
	"log/slog"
	"sync"
	"time"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

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
