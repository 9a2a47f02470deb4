package shared

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"weak"
)

// Timing of the talk with a Store.
const (
	storeTimeout = 500 * time.Millisecond // the deadline of every Store operation
	minRetry     = 50 * time.Millisecond  // the first wait before watching or syncing again
	maxRetry     = 5 * time.Second        // the longest
	minLease     = time.Second            // the shortest probe lease
)

// A hub connects the breakers of this process that use one Store: it
// holds the Store's subscription, hands each published record to the
// breakers it names, reloads every record when the subscription
// (re)starts, and knows whether the Store answers. It ends when the Store
// is closed.
type hub struct {
	store  Store
	id     string // this replica's name in the Store
	ctx    context.Context
	cancel context.CancelFunc
	kick   chan struct{} // asks the sync loop to reload records
	// syncEvery asks the next sync to reload every record, not only those
	// of the breakers whose keys failed.
	syncEvery atomic.Bool

	mu       sync.Mutex
	breakers map[string][]weak.Pointer[sharer] // by name
	watching bool                              // Watch is subscribed

	// degradedSince is when the Store stopped answering, in Unix
	// nanoseconds; zero while it answers.
	degradedSince atomic.Int64
}

// hubs holds the hub of every Store in use.
var hubs struct {
	sync.Mutex
	m map[Store]*hub
}

// join connects sh to s's hub, starting the hub if needed.
func join(s Store, sh *sharer) {
	hubs.Lock()
	defer hubs.Unlock()
	if h := hubs.m[s]; h != nil {
		sh.hub = h
		h.add(sh)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &hub{
		store:    s,
		id:       replicaID(s),
		ctx:      ctx,
		cancel:   cancel,
		kick:     make(chan struct{}, 1),
		breakers: make(map[string][]weak.Pointer[sharer]),
	}
	sh.hub = h
	h.add(sh)
	if hubs.m == nil {
		hubs.m = make(map[Store]*hub)
	}
	hubs.m[s] = h
	go h.run()
	go h.syncLoop()
}

// replicaID returns the Store's Replica() if it has one, or a name made of
// the host name, the process id and a random suffix.
func replicaID(s Store) string {
	if r, ok := s.(interface{ Replica() string }); ok {
		if id := r.Replica(); id != "" {
			return id
		}
	}
	host, err := os.Hostname()
	if err != nil {
		host = "replica"
	}
	return fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.Uint32()&0xffff)
}

// add registers sh and, if the hub is watching already, loads its
// record, so a replica started late adopts the state of the others.
func (h *hub) add(sh *sharer) {
	h.mu.Lock()
	name := sh.b.Name()
	h.breakers[name] = append(h.breakers[name], weak.Make(sh))
	watching := h.watching
	h.mu.Unlock()
	if watching && !h.degraded() {
		h.spawn(func(ctx context.Context) {
			if err := sh.sync(ctx); err != nil {
				sh.fail()
			}
		})
	}
}

// live returns the registered breakers named name, or all of them if
// name is empty, and forgets those that were garbage collected.
func (h *hub) live(name string) []*sharer {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*sharer
	for n, ps := range h.breakers {
		if name != "" && n != name {
			continue
		}
		kept := ps[:0]
		for _, p := range ps {
			if b := p.Value(); b != nil {
				out = append(out, b)
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			delete(h.breakers, n)
		} else {
			h.breakers[n] = kept
		}
	}
	return out
}

// spawn runs op in the background with the deadline of a Store operation.
func (h *hub) spawn(op func(ctx context.Context)) {
	go func() {
		ctx, cancel := context.WithTimeout(h.ctx, storeTimeout)
		defer cancel()
		op(ctx)
	}()
}

// run watches the Store until it is closed, watching again after a
// failure, with backoff.
func (h *hub) run() {
	defer h.end()
	wait := minRetry
	for {
		err := h.store.Watch(h.ctx, h.ready, h.changed)
		h.mu.Lock()
		if h.watching {
			wait = minRetry // it worked for a while: start the backoff again
		}
		h.watching = false
		h.mu.Unlock()
		if h.ctx.Err() != nil || errors.Is(err, ErrStoreClosed) {
			return
		}
		if err == nil {
			err = errors.New("subscription ended")
		}
		h.fail(fmt.Errorf("watch: %w", err))
		if !h.sleep(wait) {
			return
		}
		wait = min(2*wait, maxRetry)
	}
}

// end stops the hub of a closed Store: its breakers work locally from
// now, and say so in their Stats. Closing is deliberate, so it is not
// logged (and nothing is logged after it).
func (h *hub) end() {
	h.degradedSince.CompareAndSwap(0, time.Now().UnixNano())
	h.cancel()
	hubs.Lock()
	if hubs.m[h.store] == h {
		delete(hubs.m, h.store)
	}
	hubs.Unlock()
}

// ready is Watch's signal that it is subscribed: records published from
// now on arrive, so reload those that may have been missed.
func (h *hub) ready() {
	h.mu.Lock()
	h.watching = true
	h.mu.Unlock()
	h.syncEvery.Store(true)
	h.syncSoon()
}

func (h *hub) syncSoon() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// changed hands a published record to the breakers it names.
func (h *hub) changed(key string, rec Record) {
	for _, sh := range h.live(key) {
		sh.adopt(rec)
	}
}

func (h *hub) isWatching() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.watching
}

// sleep waits d, or until the hub ends; it reports whether the hub lives.
func (h *hub) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-h.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (h *hub) degraded() bool { return h.degradedSince.Load() != 0 }

// fail marks the Store as failing: the breakers work locally until the
// sync loop gets through again. The first failure of an outage is logged,
// once per logger.
func (h *hub) fail(err error) {
	if !h.degradedSince.CompareAndSwap(0, time.Now().UnixNano()) {
		return
	}
	h.log(slog.LevelWarn, "breaker store unavailable: breakers work locally until it answers", slog.String("error", err.Error()))
	h.syncSoon()
}

// recover marks the Store as answering again, and says so if it was not.
func (h *hub) recover() {
	if since := h.degradedSince.Swap(0); since != 0 {
		h.log(slog.LevelInfo, "breaker store available again: breakers share their state",
			slog.Duration("degraded_for", time.Since(time.Unix(0, since)).Round(time.Millisecond)))
	}
}

// log writes msg once to each distinct logger of the hub's breakers.
func (h *hub) log(level slog.Level, msg string, attrs ...slog.Attr) {
	seen := map[*slog.Logger]bool{}
	for _, sh := range h.live("") {
		if l := sh.b.Logger(); l != nil && !seen[l] {
			seen[l] = true
			l.LogAttrs(context.Background(), level, msg, attrs...)
		}
	}
}
