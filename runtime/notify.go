package runtime

import (
	"context"
	"log/slog"
)

// notify delivers the state changes queued so far to the observers, in
// the order they happened, outside any lock. If another goroutine
// is delivering already (or a hook changed the state from inside), it
// delivers these too, after the ones before them, so the last change
// reported is always the latest.
func (b *Breaker) notify(ev transition) {
	if !ev.ok || !b.observed() {
		return
	}
	for {
		b.mu.Lock()
		h := b.hist
		if b.delivering || h == nil || h.pending == nil {
			b.mu.Unlock()
			return
		}
		b.delivering = true
		batch := *h.pending
		h.pending = nil
		b.mu.Unlock()
		b.deliver(batch)
	}
}

// deliver reports a batch of state changes; a panicking observer does not
// stop later deliveries.
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

// announce reports one state change to the observers.
func (b *Breaker) announce(ev transition) {
	t := Transition{Name: b.name, From: ev.from, To: ev.to, Origin: ev.origin}
	for _, f := range b.cfg.observers {
		f(t)
	}
}

// logTransition is WithLogger's observer.
func logTransition(l *slog.Logger, t Transition) {
	level := slog.LevelInfo
	if t.To == Open {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("breaker", t.Name),
		slog.String("from", t.From.String()),
		slog.String("to", t.To.String()),
	}
	if t.Origin != "" {
		attrs = append(attrs, slog.Bool("remote", true), slog.String("origin", t.Origin))
	}
	l.LogAttrs(context.Background(), level, "circuit breaker state change", attrs...)
}

// A Transition is one state change of a breaker, as WithOnTransition
// reports it.
type Transition struct {
	Name     string
	From, To State
	// Origin names the replica the change was adopted from, through
	// runtime/shared; it is empty for a change of this breaker's own.
	Origin string
}

// WithOnTransition adds f to the observers of the breaker's state changes,
// called after every change, outside any lock, so f may call back into the
// breaker. Calls come one at a time, in the order of the changes; a
// panicking observer does not stop later reports. Given more than once,
// every f is called, in order. WithOnTransition panics if f is nil.
func WithOnTransition(f func(Transition)) Option {
	if f == nil {
		panic("runtime: WithOnTransition(nil): the observer must not be nil")
	}
	return func(c *config) { c.observers = append(c.observers, f) }
}

// observed reports whether state changes are reported to anyone.
func (b *Breaker) observed() bool {
	return len(b.cfg.observers) > 0
}
