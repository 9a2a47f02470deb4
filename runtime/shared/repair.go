package shared

import (
	"context"
	"log/slog"

	"github.com/breakergen/breakergen/runtime"
)

// replace logs that the Store deleted the shared state of the breaker's
// name, which it could not read, and publishes the breaker's own state
// in its place: an open circuit's opening. A closed circuit needs no
// record; no record reads as closed.
func (sh *sharer) replace(ctx context.Context, why string) error {
	b := sh.b
	sh.logRepair(why)
	b.Lock()
	if b.StateLocked() != open {
		b.Unlock()
		return nil
	}
	cooldown, reopens, forced := b.OpeningLocked()
	c := Change{State: runtime.Open, Forced: forced, Cooldown: cooldown, Reopens: reopens, Origin: sh.hub.id, Unconditional: true}
	sh.pending, sh.pendingAt = &c, b.Word()
	b.Unlock()
	return sh.sendPending(ctx)
}

// logRepair says, on the breaker's logger, that the Store deleted shared
// state of its name that it could not read, and why.
func (sh *sharer) logRepair(why string) {
	if l := sh.b.Logger(); l != nil {
		l.LogAttrs(context.Background(), slog.LevelWarn, "breaker store: unreadable shared state deleted, replaced by this replica's",
			slog.String("breaker", sh.b.Name()), slog.String("repaired", why))
	}
}
