package runtime

import (
	"bytes"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// halfOpen returns a breaker that opened on its first failure and whose
// cooldown has passed, so its next call is a probe.
func halfOpen(name string, opts ...Option) (*Breaker, *fakeClock) {
	clk := newFakeClock()
	cb := New(name, append([]Option{withClock(clk.Now), WithFailureThreshold(1)}, opts...)...)
	p, _ := cb.Allow()
	p.Done(errBoom)
	clk.Advance(defaultCooldown)
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

// allowHeld is Allow for a test that keeps the Permit in a slice or a
// channel: it returns the Permit behind a pointer, so that holding it does
// not copy it.
func allowHeld(cb *Breaker) (*Permit, error) {
	p := new(Permit)
	var err error
	*p, err = cb.Allow()
	return p, err
}

// copied returns a copy of *p, as a caller that copies a Permit by mistake
// makes one; go vet would report a plain assignment.
func copied[T any](p *T) T { return *p }

// withClock makes a breaker read now, as breakertest.WithClock does.
func withClock(now func() time.Time) Option {
	return func(c *config) { c.ext.Now = now }
}

// withSuccesses sets the probe successes that close the circuit, leaving
// the number of probes as it is: WithHalfOpenProbes's second argument.
func withSuccesses(n int) Option {
	return func(c *config) { c.successes = n }
}

// transitions returns the number of state changes s counts.
func (s *Stats) transitions() uint64 {
	var n uint64
	for _, row := range s.TransitionCounts {
		for _, c := range row {
			n += c
		}
	}
	return n
}

// keys returns the keys of s, sorted.
func (s *Set) keys() []string {
	var keys []string
	for k := range s.All() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
