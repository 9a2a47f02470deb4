package shared

import (
	"context"
	"time"
)

// The states of the probe lease of an open generation.
const (
	leaseUnknown = iota
	leasePending
	leaseGranted
	leaseDenied
)

// MayProbe reports whether the open circuit of generation g, whose
// cooldown is over at now, may turn half-open and probe; if not, it
// returns the wait of the rejection. A circuit that follows the shared
// record probes only with its lease, which it asks for in the background:
// until the answer comes, and while another replica holds it, it stays
// open. A breaker whose opening is its own, or whose Store is failing,
// probes as a local breaker does; but while its opening is on its way to
// the Store, whose answer says whether the others follow it, it waits for
// that answer (a deadline at most), so as not to probe beside the lease.
func (sh *sharer) MayProbe(g uint64, now int64) (bool, time.Duration) {
	if sh.degraded() {
		return true, 0
	}
	retry := time.Duration(sh.cooldown.Load())
	if !sh.follow.Load() {
		sh.b.Lock()
		sending := sh.sending
		sh.b.Unlock()
		if sending {
			return false, retry
		}
		return true, 0
	}
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
		sh.acquire(g)
	}
	return false, retry
}

// acquire asks the Store, in the background, for the probe lease of the
// open generation g.
func (sh *sharer) acquire(g uint64) {
	b := sh.b
	sh.hub.spawn(func(ctx context.Context) {
		b.Lock()
		gen, word := sh.gen, b.Word()
		cooldown, _, _ := b.OpeningLocked()
		ttl := max(cooldown, b.MaxWait(), minLease)
		b.Unlock()
		rec, granted, err := sh.hub.store.Acquire(ctx, b.Name(), gen, sh.hub.id, ttl)
		if err == nil && rec.Repaired != "" {
			sh.logRepair(rec.Repaired)
		}
		pending := g<<2 | leasePending
		switch {
		case err != nil:
			sh.lease.CompareAndSwap(pending, g<<2) // unknown: ask again
			sh.fail()
		case granted:
			if sh.lease.CompareAndSwap(pending, g<<2|leaseGranted) {
				sh.renew(word, gen, ttl)
			}
		case rec.Gen > gen:
			sh.lease.CompareAndSwap(pending, g<<2) // unknown: ask again
			sh.adopt(rec)                          // the cluster moved on
		default:
			// Another replica holds the lease: ask again when it runs
			// out, so that a holder that died delays the next probe by
			// what was left of its lease, not a lease more.
			wait := ttl
			if rec.LeaseRemaining > 0 {
				wait = min(rec.LeaseRemaining, ttl)
			}
			sh.deniedUntil.Store(b.Since() + int64(wait))
			sh.lease.CompareAndSwap(pending, g<<2|leaseDenied)
		}
	})
}

// renew keeps the probe lease of record generation gen, granted for ttl
// to the open circuit of word open, while the probe runs, renewing it
// every third of ttl: a probe slower than the lease does not let another
// replica's probe start. Until the circuit turns half-open it does not
// renew, so a replica that gets no call lets the lease lapse. It stops
// once the probe has reported, when the Store refuses (the record moved
// on) or fails, or when the hub ends; a replica that dies holding the
// lease delays the next probe by at most ttl.
func (sh *sharer) renew(open uint64, gen uint64, ttl time.Duration) {
	go func() {
		tick := time.NewTicker(ttl / 3)
		defer tick.Stop()
		expires := time.Now().Add(ttl)
		for {
			select {
			case <-sh.hub.ctx.Done():
				return
			case <-tick.C:
			}
			switch sh.probing(open) {
			case waiting:
				if time.Now().After(expires) {
					return
				}
				continue
			case done:
				return
			}
			ctx, cancel := context.WithTimeout(sh.hub.ctx, storeTimeout)
			_, granted, err := sh.hub.store.Acquire(ctx, sh.b.Name(), gen, sh.hub.id, ttl)
			cancel()
			if err != nil || !granted {
				return
			}
			expires = time.Now().Add(ttl)
		}
	}()
}

// Where the probe of an open circuit is.
const (
	waiting = iota // still open: no call has turned it half-open
	running        // half-open: the probe has not reported
	done           // the circuit moved on
)

// probing says where the probe of the open circuit of word open is.
func (sh *sharer) probing(open uint64) int {
	sh.b.Lock()
	defer sh.b.Unlock()
	switch {
	case sh.b.Word() == open:
		return waiting
	case sh.b.StateLocked() == halfOpen:
		return running
	}
	return done
}
