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
	if !ev.ok || (b.cfg.logger == nil && b.cfg.onChange == nil) {
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
		l.LogAttrs(context.Background(), level, "circuit breaker state change",
			slog.String("breaker", b.name),
			slog.String("from", ev.from.String()),
			slog.String("to", ev.to.String()))
	}
	if f := b.cfg.onChange; f != nil {
		f(b.name, ev.from, ev.to)
	}
}
