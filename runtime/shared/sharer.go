package shared

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/internal/hook"
)

// The states, as hook passes them.
const (
	closed   = uint8(runtime.Closed)
	open     = uint8(runtime.Open)
	halfOpen = uint8(runtime.HalfOpen)
)

// A sharer is what a breaker with a Store (WithStore) keeps of the shared
// record of its name. Calls of a closed circuit never look at it; an open
// circuit consults it only once its cooldown is over (MayProbe).
type sharer struct {
	b      hook.Breaker
	hub    *hub
	quorum int // WithQuorum; 0 is 1

	// Guarded by the breaker's lock.
	gen       uint64  // the newest record generation seen
	adopting  string  // the origin of the record being adopted, during AdoptLocked
	pending   *Change // the latest local change not yet in the Store
	pendingAt uint64  // the breaker's word right after that change
	sending   bool    // a goroutine is sending pending
	published bool    // this breaker has sent a change to the Store

	// Read by MayProbe without the lock.
	follow      atomic.Bool   // the open circuit is the shared record's: probing it takes the lease
	lease       atomic.Uint64 // the open word's generation<<2 | a lease* state
	deniedUntil atomic.Int64  // when a denied lease may be asked for again, in the breaker's time
	cooldown    atomic.Int64  // the latest opening's cooldown: the wait while another replica probes

	loaded     chan struct{} // closed once the breaker has read its record (Ready)
	loadedOnce sync.Once

	evidenceState // failure evidence not yet reported (evidence.go)
	keyHealth     // whether this breaker's key answers (degraded.go)
}

// newSharer connects b to s's hub.
func newSharer(s Store, b hook.Breaker, quorum int) *sharer {
	sh := &sharer{b: b, quorum: quorum, loaded: make(chan struct{})}
	sh.evidence, _ = s.(EvidenceStore)
	sh.cooldown.Store(int64(b.Cooldown()))
	join(s, sh)
	return sh
}

// ChangedLocked is told of every state change, once the state is to. For
// a change being adopted it returns the replica it came from; a local
// change other than turning half-open it queues for the Store. The
// breaker's lock is held.
func (sh *sharer) ChangedLocked(from, to uint8) (origin string) {
	if sh.adopting != "" {
		return sh.adopting
	}
	if to == halfOpen {
		return ""
	}
	cooldown, reopens, forced := sh.b.OpeningLocked()
	sh.cooldown.Store(int64(cooldown))
	c := Change{State: runtime.State(to), Cooldown: cooldown, Reopens: reopens, Origin: sh.hub.id}
	switch {
	case to == open && forced: // ForceOpen
		c.Forced, c.Unconditional = true, true
	case to == open && from == halfOpen && sh.follow.Load():
		// The shared probe failed: reopen every replica.
	case to == open: // this replica's own opening: a vote
		c.Quorum = max(sh.quorum, 1)
		sh.follow.Store(false)
	case from == halfOpen: // the probe succeeded
		sh.follow.Store(false)
	default: // Reset
		c.Forced, c.Unconditional = true, true
		sh.follow.Store(false)
	}
	sh.pending, sh.pendingAt = &c, sh.b.Word()
	if !sh.sending && !sh.degraded() {
		sh.sending = true
		go sh.send()
	}
	return ""
}

// send publishes the pending changes, the latest first superseding any
// older, until none is left or the Store fails; then the sync loop sends
// what is left when the Store answers again.
func (sh *sharer) send() {
	b := sh.b
	for {
		b.Lock()
		if sh.pending == nil || sh.degraded() {
			sh.sending = false
			b.Unlock()
			return
		}
		b.Unlock()
		ctx, cancel := context.WithTimeout(sh.hub.ctx, storeTimeout)
		err := sh.sendPending(ctx)
		cancel()
		if err != nil {
			b.Lock()
			sh.sending = false
			b.Unlock()
			sh.fail()
			return
		}
	}
}

// sendPending publishes the pending change, if it still describes the
// breaker's state, and adopts the record the Store returns.
func (sh *sharer) sendPending(ctx context.Context) error {
	b := sh.b
	b.Lock()
	p := sh.pending
	if p == nil || sh.pendingAt != b.Word() {
		sh.pending = nil // an adopted record superseded it
		b.Unlock()
		return nil
	}
	c := *p
	c.Base = sh.gen // the newest record this change follows
	// Set before the Store has it: its record may come back through Watch
	// before Publish returns, and must be known as this breaker's own.
	sh.published = true
	b.Unlock()
	rec, _, err := sh.hub.store.Publish(ctx, b.Name(), c)
	if err != nil {
		return err
	}
	if rec.Repaired != "" {
		sh.logRepair(rec.Repaired)
	}
	b.Lock()
	if sh.pending == p {
		sh.pending = nil
	}
	b.Unlock()
	sh.adopt(rec)
	return nil
}

// sync brings the breaker up to date with the Store: it sends the change
// the Store missed, if any, and otherwise loads and adopts its record.
// Either way, once it succeeds the breaker has read the shared record.
func (sh *sharer) sync(ctx context.Context) error {
	err := sh.syncOnce(ctx)
	if err == nil {
		sh.loadedOnce.Do(func() { close(sh.loaded) })
	}
	return err
}

func (sh *sharer) syncOnce(ctx context.Context) error {
	sh.b.Lock()
	pending := sh.pending != nil && !sh.sending
	sh.b.Unlock()
	if pending {
		return sh.sendPending(ctx) // adopts the record the Store returns
	}
	rec, err := sh.hub.store.Load(ctx, sh.b.Name())
	if err != nil {
		return err
	}
	if rec.Repaired != "" {
		return sh.replace(ctx, rec.Repaired)
	}
	sh.adopt(rec)
	return nil
}

// adopt applies a record newer than any the breaker has seen. Another
// replica's change becomes its state, with the remaining cooldown, as a
// transition marked remote; its own records only tell it that its opening
// is shared.
func (sh *sharer) adopt(rec Record) {
	b := sh.b
	b.Lock()
	if rec.Gen <= sh.gen {
		b.Unlock()
		return
	}
	sh.gen = rec.Gen
	local := b.StateLocked()
	if sh.published && rec.Origin == sh.hub.id && (rec.State != runtime.Open || local != closed) {
		if rec.State == runtime.Open && local == open {
			sh.follow.Store(true)
		}
		b.Unlock()
		return
	}
	sh.adopting = rec.Origin
	if sh.adopting == "" {
		sh.adopting = "unknown"
	}
	report := func() {}
	switch rec.State {
	case runtime.Closed:
		// A probe's success closes the replicas that follow the shared
		// opening; a replica that opened on its own evidence and is not
		// (yet) part of it keeps its own state. A Reset closes all.
		if local != closed && (rec.Forced || sh.follow.Load()) {
			sh.follow.Store(false)
			report = b.AdoptLocked(hook.Adoption{State: closed})
		}
	case runtime.Open:
		report = b.AdoptLocked(hook.Adoption{State: open, Forced: rec.Forced,
			Remaining: rec.Remaining, Cooldown: rec.Cooldown, Reopens: rec.Reopens})
		cooldown, _, _ := b.OpeningLocked()
		sh.cooldown.Store(int64(cooldown))
		sh.follow.Store(true)
	}
	sh.adopting = ""
	sh.pending = nil // superseded by the newer record
	b.Unlock()
	report()
}
