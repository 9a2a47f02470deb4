package runtime

import (
	"log/slog"
	"math"
	"time"

	"github.com/breakergen/breakergen/runtime/internal/hook"
)

// Sub-packages such as runtime/shared plug into a breaker through
// internal/hook: their options set config.ext, and the breaker calls its
// hook.Sharer, if it has one, when a cooldown ends, when its state
// changes, and in Stats. plugged is what they see of the breaker.

func init() {
	hook.Option = func(f func(*hook.Ext)) any { return Option(func(c *config) { f(&c.ext) }) }
}

// plug connects b to the plug-in its options name, if any. It holds b's
// lock, so that the plug-in's goroutines, which may report to b at once,
// see b.sh set.
func (b *Breaker) plug() {
	if b.cfg.ext.New != nil {
		b.mu.Lock()
		if sh := b.cfg.ext.New(plugged{b}, &b.cfg.ext); sh != nil {
			b.sh = &plugin{sh}
		}
		b.mu.Unlock()
	}
}

// plugin holds a breaker's hook.Sharer behind a pointer, so that the many
// breakers without one spend a word on it rather than two.
type plugin struct{ hook.Sharer }

// plugged is a Breaker as hook.Breaker.
type plugged struct{ b *Breaker }

func (p plugged) Name() string            { return p.b.name }
func (p plugged) Logger() *slog.Logger    { return p.b.cfg.logger }
func (p plugged) Cooldown() time.Duration { return p.b.cfg.cooldown }
func (p plugged) MaxWait() time.Duration  { return p.b.cfg.maxWait }
func (p plugged) Threshold() int          { return int(p.b.cfg.threshold) }
func (p plugged) Since() int64            { return p.b.since() }
func (p plugged) Lock()                   { p.b.mu.Lock() }
func (p plugged) Unlock()                 { p.b.mu.Unlock() }
func (p plugged) Word() uint64            { return p.b.loadWord() }
func (p plugged) StateLocked() uint8      { return uint8(stateOf(p.b.loadWord())) }

func (p plugged) OpeningLocked() (time.Duration, int, bool) {
	return p.b.cooldown, int(p.b.reopens), p.b.forced
}

func (p plugged) AdoptLocked(a hook.Adoption) func() {
	b := p.b
	var ev transition
	switch State(a.State) {
	case Closed:
		ev = b.setLocked(Closed, 0)
	case Open:
		now := b.since()
		b.forced = a.Forced
		ev = b.setLocked(Open, now) // a new generation even if open already: the lease is the record's
		if !a.Forced {
			b.openUntil.Store(addSat(now, a.Remaining))
			b.armLocked()
		}
		if a.Cooldown > 0 {
			b.cooldown = a.Cooldown
		}
		b.reopens = int32(max(min(a.Reopens, math.MaxInt32), math.MinInt32))
	}
	return func() { b.notify(ev) }
}

// mayProbe reports whether the open circuit of word w, whose cooldown is
// over at now, may probe, as its plug-in says; if not, it returns the
// wait its rejection suggests.
func (b *Breaker) mayProbe(w uint64, now int64) (bool, time.Duration) {
	if b.sh == nil {
		return true, 0
	}
	return b.sh.MayProbe(w>>genShift, now)
}

// changedLocked tells the plug-in of a state change; for a change being
// adopted it returns the replica it came from. b.mu must be held.
func (b *Breaker) changedLocked(from, to State) (origin string) {
	if b.sh == nil {
		return ""
	}
	return b.sh.ChangedLocked(uint8(from), uint8(to))
}

// outcomeLocked tells the plug-in of a failure of the closed circuit, or
// of the success that ends a run of them. b.mu must be held.
func (b *Breaker) outcomeLocked(failed bool) {
	if b.sh != nil {
		b.sh.OutcomeLocked(failed)
	}
}

// pluggedStats fills in the plug-in's part of s.
func (b *Breaker) pluggedStats(s *Stats) {
	if b.sh == nil {
		return
	}
	if since, degraded := b.sh.Degraded(); degraded {
		s.DegradedSince = since
	}
}
