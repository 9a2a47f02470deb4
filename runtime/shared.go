package runtime

import (
	"context"
	"sync/atomic"
	"time"
)

// shared is what a breaker with a Store (WithStore) keeps of the shared
// record of its name. Calls of a closed circuit never look at it; an open
// circuit consults it only once its cooldown is over (mayProbe).
type shared struct {
	hub *hub

	// Guarded by the breaker's mu.
	gen       uint64  // the newest record generation seen
	adopting  string  // the origin of the record being adopted, during setLocked
	pending   *Change // the latest local change not yet in the Store
	pendingAt uint64  // the breaker's word right after that change
	sending   bool    // a goroutine is sending pending
	published bool    // this breaker has published a change

	// Read by mayProbe without the lock.
	follow      atomic.Bool   // the open circuit is the shared record's: probing it takes the lease
	lease       atomic.Uint64 // the open word's generation<<2 | a lease* state
	deniedUntil atomic.Int64  // when a denied lease may be asked for again, since the breaker's base
	cooldown    atomic.Int64  // the latest opening's cooldown: the RetryAfter while another replica probes
}

// The states of the probe lease of an open generation.
const (
	leaseUnknown = iota
	leasePending
	leaseGranted
	leaseDenied
)

// share connects b to its Store, if it has one.
func (b *Breaker) share() {
	s := b.cfg.shared.store
	if s == nil {
		return
	}
	b.sh = &shared{}
	b.sh.cooldown.Store(int64(b.cfg.cooldown))
	join(s, b)
}

// observed reports whether state changes are reported to anyone.
func (b *Breaker) observed() bool {
	return len(b.cfg.observers) > 0
}

// mayProbe reports whether the open circuit of word w, whose cooldown is
// over at now, may turn half-open and probe; if not, it returns the
// RetryAfter of the rejection. A circuit that follows the shared record
// probes only with its lease, which it asks for in the background: until
// the answer comes, and while another replica holds it, it stays open. A
// breaker without a Store, whose opening is its own, or whose Store is
// failing, probes as a local breaker does.
func (b *Breaker) mayProbe(w uint64, now int64) (bool, time.Duration) {
	sh := b.sh
	if sh == nil || !sh.follow.Load() || sh.hub.degraded() {
		return true, 0
	}
	retry := time.Duration(sh.cooldown.Load())
	g := w >> genShift
	cur := sh.lease.Load()
	if cur>>2 == g {
		switch cur & 3 {
		case leaseGranted:
			return true, 0
		case leasePending:
			return false, retry
		case leaseDenied:
			if now < sh.deniedUntil.Load() {
				return false, retry
			}
		}
	}
	if sh.lease.CompareAndSwap(cur, g<<2|leasePending) {
		b.acquire(g)
	}
	return false, retry
}

// acquire asks the Store, in the background, for the probe lease of the
// open generation g of b's word.
func (b *Breaker) acquire(g uint64) {
	sh := b.sh
	sh.hub.spawn(func(ctx context.Context) {
		b.mu.Lock()
		gen := sh.gen
		ttl := max(b.cooldown, b.cfg.maxWait, minLease)
		b.mu.Unlock()
		rec, granted, err := sh.hub.store.Acquire(ctx, b.name, gen, sh.hub.id, ttl)
		pending := g<<2 | leasePending
		switch {
		case err != nil:
			sh.lease.CompareAndSwap(pending, g<<2) // unknown: ask again
			sh.hub.fail(err)
		case granted:
			sh.lease.CompareAndSwap(pending, g<<2|leaseGranted)
		case rec.Gen > gen:
			sh.lease.CompareAndSwap(pending, g<<2) // unknown: ask again
			b.adopt(rec)                           // the cluster moved on
		default:
			sh.deniedUntil.Store(b.since() + int64(ttl))
			sh.lease.CompareAndSwap(pending, g<<2|leaseDenied)
		}
	})
}

// shareLocked is setLocked's hook, called once the state is to. For a
// change being adopted it returns the replica it came from; a local
// change other than turning half-open it queues for the Store. b.mu must
// be held.
func (b *Breaker) shareLocked(from, to State) (origin string) {
	sh := b.sh
	if sh == nil {
		return ""
	}
	if sh.adopting != "" {
		return sh.adopting
	}
	if to == HalfOpen {
		return ""
	}
	sh.cooldown.Store(int64(b.cooldown))
	c := Change{State: to, Cooldown: b.cooldown, Reopens: b.reopens, Origin: sh.hub.id}
	switch {
	case to == Open && b.forced: // ForceOpen
		c.Forced, c.Unconditional = true, true
	case to == Open && from == HalfOpen && sh.follow.Load():
		// The shared probe failed: reopen every replica.
	case to == Open: // this replica's own opening: a vote
		c.Quorum = max(b.cfg.shared.quorum, 1)
		sh.follow.Store(false)
	case from == HalfOpen: // the probe succeeded
		sh.follow.Store(false)
	default: // Reset
		c.Forced, c.Unconditional = true, true
		sh.follow.Store(false)
	}
	sh.pending, sh.pendingAt = &c, b.loadWord()
	if !sh.sending && !sh.hub.degraded() {
		sh.sending = true
		go b.send()
	}
	return ""
}

// send publishes the pending changes, the latest first superseding any
// older, until none is left or the Store fails; then the sync loop sends
// what is left when the Store answers again.
func (b *Breaker) send() {
	sh := b.sh
	for {
		b.mu.Lock()
		if sh.pending == nil || sh.hub.degraded() {
			sh.sending = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		ctx, cancel := context.WithTimeout(sh.hub.ctx, storeTimeout)
		err := b.sendPending(ctx)
		cancel()
		if err != nil {
			b.mu.Lock()
			sh.sending = false
			b.mu.Unlock()
			sh.hub.fail(err)
			return
		}
	}
}

// sendPending publishes the pending change, if it still describes b's
// state, and adopts the record the Store returns.
func (b *Breaker) sendPending(ctx context.Context) error {
	sh := b.sh
	b.mu.Lock()
	p := sh.pending
	if p == nil || sh.pendingAt != b.loadWord() {
		sh.pending = nil // an adopted record superseded it
		b.mu.Unlock()
		return nil
	}
	c := *p
	c.Base = sh.gen // the newest record this change follows
	b.mu.Unlock()
	rec, _, err := sh.hub.store.Publish(ctx, b.name, c)
	if err != nil {
		return err
	}
	b.mu.Lock()
	if sh.pending == p {
		sh.pending = nil
	}
	sh.published = true
	b.mu.Unlock()
	b.adopt(rec)
	return nil
}

// sync brings b up to date with the Store: it sends the change the Store
// missed, if any, and otherwise loads and adopts b's record.
func (b *Breaker) sync(ctx context.Context) error {
	b.mu.Lock()
	pending := b.sh.pending != nil && !b.sh.sending
	b.mu.Unlock()
	if pending {
		return b.sendPending(ctx)
	}
	rec, err := b.sh.hub.store.Load(ctx, b.name)
	if err != nil {
		return err
	}
	b.adopt(rec)
	return nil
}

// adopt applies a record newer than any b has seen. Another replica's
// change becomes b's state, with the remaining cooldown, as a transition
// marked remote; b's own records only tell it that its opening is shared.
func (b *Breaker) adopt(rec Record) {
	sh := b.sh
	b.mu.Lock()
	if rec.Gen <= sh.gen {
		b.mu.Unlock()
		return
	}
	sh.gen = rec.Gen
	local := stateOf(b.loadWord())
	if sh.published && rec.Origin == sh.hub.id {
		if rec.State == Open && local == Open {
			sh.follow.Store(true)
		}
		b.mu.Unlock()
		return
	}
	sh.adopting = rec.Origin
	if sh.adopting == "" {
		sh.adopting = "unknown"
	}
	var ev transition
	switch rec.State {
	case Closed:
		// A probe's success closes the replicas that follow the shared
		// opening; a replica that opened on its own evidence and is not
		// (yet) part of it keeps its own state. A Reset closes all.
		if local != Closed && (rec.Forced || sh.follow.Load()) {
			sh.follow.Store(false)
			ev = b.setLocked(Closed, 0)
		}
	case Open:
		now := b.since()
		b.forced = rec.Forced
		ev = b.setLocked(Open, now) // a new generation even if open already: the lease is the record's
		if !rec.Forced {
			b.openUntil.Store(addSat(now, rec.Remaining))
			b.armLocked()
		}
		if rec.Cooldown > 0 {
			b.cooldown = rec.Cooldown
		}
		b.reopens = rec.Reopens
		sh.cooldown.Store(int64(b.cooldown))
		sh.follow.Store(true)
	}
	sh.adopting = ""
	sh.pending = nil // superseded by the newer record
	b.mu.Unlock()
	b.notify(ev)
}

// sharedStats fills in the Store's part of s.
func (b *Breaker) sharedStats(s *Stats) {
	if b.sh == nil {
		return
	}
	if since := b.sh.hub.degradedSince.Load(); since != 0 {
		s.Degraded, s.DegradedSince = true, time.Unix(0, since)
	}
}
