package shared

import (
	"context"
	"time"
)

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
