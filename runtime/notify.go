package runtime

import (
	"context"
	"log/slog"
)

// notify delivers the state changes queued so far to the logger and the
// hook, in the order they happened, outside any lock. If another goroutine
// is delivering already (or a hook changed the state from inside), it
// delivers these too, after the ones before them, so the last change
// reported is always the latest.
func (b *Breaker) notify(ev transition) {
	if !ev.ok || !b.observed() {
		return
	}
	for {
		b.mu.Lock()
		if b.delivering || len(b.pending) == 0 {
			b.mu.Unlock()
			return
		}
		b.delivering = true
		batch := b.pending
		b.pending = nil
		b.mu.Unlock()
		b.deliver(batch)
	}
}

// deliver reports a batch of state changes; a panicking hook does not stop
// later deliveries.
func (b *Breaker) deliver(batch []transition) {
	defer func() {
		b.mu.Lock()
		b.delivering = false
		b.mu.Unlock()
	}()
	for _, ev := range batch {
		b.announce(ev)
	}
}

// announce runs the logger and the hook for one state change.
func (b *Breaker) announce(ev transition) {
	if l := b.cfg.logger; l != nil {
		level := slog.LevelInfo
		if ev.to == Open {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("breaker", b.name),
			slog.String("from", ev.from.String()),
			slog.String("to", ev.to.String()),
		}
		if ev.origin != "" {
			attrs = append(attrs, slog.Bool("remote", true), slog.String("origin", ev.origin))
		}
		l.LogAttrs(context.Background(), level, "circuit breaker state change", attrs...)
	}
	if f := b.cfg.onChange; f != nil {
		f(b.name, ev.from, ev.to)
	}
	if f := b.cfg.shared.onTransition; f != nil {
		f(Transition{Name: b.name, From: ev.from, To: ev.to, Remote: ev.origin != "", Origin: ev.origin})
	}
}

// A Transition is one state change of a breaker, as WithOnTransition
// reports it.
type Transition struct {
	Name     string
	From, To State
	// Remote is true when the change was adopted from another replica
	// through the breaker's Store (WithStore); Origin then names that
	// replica.
	Remote bool
	Origin string
}

// WithOnTransition sets a function called after every state change, like
// WithOnStateChange's, with the change's details: whether it was adopted
// from another replica, and from which. Calls come one at a time, in the
// order of the changes, outside any lock. The default is none.
func WithOnTransition(f func(Transition)) Option {
	return func(c *config) { c.shared.onTransition = f }
}
