package shared

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// keyHealth is whether a breaker's own key answers. A Store can fail for
// some keys and not others: a Redis Cluster whose master for a slot is
// down answers for the other slots. A breaker whose operation fails is
// degraded alone, and works locally, until the sync loop reads its record
// again; the Store as a whole is degraded (hub.degradedSince) only while
// its subscription is down or no key answers.
type keyHealth struct {
	downSince  atomic.Int64 // when the key stopped answering, in Unix nanoseconds; zero while it answers
	downLogged atomic.Bool  // the outage was logged as this key's alone
}

// degraded reports whether the breaker works locally: the Store or its
// key does not answer.
func (sh *sharer) degraded() bool { return sh.hub.degraded() || sh.downSince.Load() != 0 }

// Degraded reports whether the Store, or the breaker's key in it, fails,
// and since when.
func (sh *sharer) Degraded() (time.Time, bool) {
	since := sh.hub.degradedSince.Load()
	if own := sh.downSince.Load(); own != 0 && (since == 0 || own < since) {
		since = own
	}
	if since == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, since), true
}

// fail marks the breaker's key as failing and asks the sync loop to find
// out whether the Store fails for every key or for this one.
func (sh *sharer) fail() {
	sh.markDown()
	sh.hub.syncSoon()
}

// markDown records that the breaker's key stopped answering now, unless
// it already had.
func (sh *sharer) markDown() { sh.downSince.CompareAndSwap(0, time.Now().UnixNano()) }

// syncLoop brings the breakers up to date with the Store when kicked:
// every one after the subscription (re)starts, else those whose keys
// failed, trying those that fail again with backoff until every one
// succeeds.
// When none succeeds the Store is degraded; once one does, it is declared
// healthy, and only the breakers whose keys failed stay degraded. It syncs
// only while Watch is subscribed, so that nothing published after a
// breaker's reload is missed.
func (h *hub) syncLoop() {
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-h.kick:
		}
		wait := minRetry
		for h.isWatching() {
			failed, synced, err := h.syncAll(h.syncEvery.Swap(false))
			if failed == 0 {
				h.recover()
				break
			}
			if synced == 0 {
				h.fail(err)
			} else {
				h.recover()
				for _, sh := range h.live("") {
					if sh.downSince.Load() != 0 && sh.downLogged.CompareAndSwap(false, true) {
						sh.log(slog.LevelWarn, "breaker store unavailable for this breaker's key: it works locally until the key answers", slog.String("error", err.Error()))
					}
				}
			}
			if !h.sleep(wait) {
				return
			}
			wait = min(2*wait, maxRetry)
		}
	}
}

// syncConcurrency bounds the breakers synced at once, so that a Store that
// times out for many keys delays the others by a few deadlines at most.
const syncConcurrency = 8

// syncAll syncs every breaker, or with every false those whose keys
// failed and up to syncConcurrency others, each marked healthy or failing
// by the outcome, and returns how many failed and succeeded, and an error
// of one that failed. The others are witnesses that tell a key's failure
// from the Store's: several, since one may hash to the same failing
// Cluster master as the failed keys.
func (h *hub) syncAll(every bool) (failed, synced int, err error) {
	var mu sync.Mutex
	sem := make(chan struct{}, syncConcurrency)
	var wg sync.WaitGroup
	witnesses := 0
	for _, sh := range h.live("") {
		if !every && sh.downSince.Load() == 0 {
			if witnesses == syncConcurrency {
				continue
			}
			witnesses++
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(h.ctx, storeTimeout)
			e := sh.sync(ctx)
			cancel()
			if e == nil {
				sh.recoverKey()
			} else {
				sh.markDown()
			}
			mu.Lock()
			defer mu.Unlock()
			if e == nil {
				synced++
			} else {
				failed, err = failed+1, e
			}
		})
	}
	wg.Wait()
	return failed, synced, err
}

// recoverKey marks the breaker's key as answering, and says so if its
// outage was logged as its own.
func (sh *sharer) recoverKey() {
	since := sh.downSince.Swap(0)
	if since != 0 && sh.downLogged.Swap(false) {
		sh.log(slog.LevelInfo, "breaker store available again for this breaker's key: it shares its state",
			slog.Duration("degraded_for", time.Since(time.Unix(0, since)).Round(time.Millisecond)))
	}
}

// log writes msg to the breaker's logger, naming the breaker.
func (sh *sharer) log(level slog.Level, msg string, attrs ...slog.Attr) {
	if l := sh.b.Logger(); l != nil {
		l.LogAttrs(context.Background(), level, msg, append([]slog.Attr{slog.String("breaker", sh.b.Name())}, attrs...)...)
	}
}
