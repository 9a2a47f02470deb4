package shared

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// memServer is an in-memory stand-in for the server behind a Store, for
// unit tests of the breaker's side of sharing: records, votes and leases
// with the semantics the Store interface documents, dated by a clock the
// test controls. Each replica talks to it through its own memStore.
type memServer struct {
	mu       sync.Mutex
	now      func() time.Time
	recs     map[string]memRec
	votes    map[string]map[string]time.Time
	leases   map[string]memLease
	watchers map[chan memMsg]bool
	down     error            // every operation fails with it while set
	keyDown  map[string]error // the operations on a key fail with its error while set
	fails    map[string]*memFails
	gen      uint64
	ops      int
	// publishDelay is how long a Publish takes before it reaches the
	// server, as over a slow network; set before the replicas start.
	publishDelay time.Duration
}

type memRec struct {
	rec   Record
	until time.Time
}

type memLease struct {
	gen    uint64
	holder string
	until  time.Time
}

// memFails is a key's failure evidence: failures per replica since the
// last success anywhere, which lapse a cooldown after the latest report.
type memFails struct {
	n     map[string]int
	until time.Time
}

type memMsg struct {
	key string
	rec Record
}

func newMemServer(now func() time.Time) *memServer {
	return &memServer{
		now:      now,
		recs:     map[string]memRec{},
		votes:    map[string]map[string]time.Time{},
		leases:   map[string]memLease{},
		watchers: map[chan memMsg]bool{},
		keyDown:  map[string]error{},
		fails:    map[string]*memFails{},
	}
}

// setKeyDown makes every operation on key fail with err (nil: answer
// again), as a Redis Cluster does for the slots of a master that is down,
// while the other keys and the subscriptions keep working.
func (s *memServer) setKeyDown(key string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		delete(s.keyDown, key)
	} else {
		s.keyDown[key] = err
	}
}

// setDown makes every operation fail with err (nil: answer again) and
// breaks the subscriptions.
func (s *memServer) setDown(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = err
	if err != nil {
		for ch := range s.watchers {
			close(ch)
			delete(s.watchers, ch)
		}
	}
}

func (s *memServer) opCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ops
}

// read returns key's record as of now. s.mu must be held.
func (s *memServer) read(key string) Record {
	r, ok := s.recs[key]
	if !ok {
		return Record{}
	}
	rec := r.rec
	if rec.State == runtime.Open && !rec.Forced {
		rec.Remaining = max(r.until.Sub(s.now()), 0)
	}
	return rec
}

// memStore is one replica's client of a memServer.
type memStore struct {
	srv     *memServer
	replica string
	closed  chan struct{}
	once    sync.Once
}

func (s *memServer) client(replica string) *memStore {
	return &memStore{srv: s, replica: replica, closed: make(chan struct{})}
}

func (m *memStore) Replica() string { return m.replica }

func (m *memStore) Close() { m.once.Do(func() { close(m.closed) }) }

// enterKey checks that a call on key may proceed and locks the server.
func (m *memStore) enterKey(ctx context.Context, key string) error {
	if err := m.enter(ctx); err != nil {
		return err
	}
	if err := m.srv.keyDown[key]; err != nil {
		m.srv.mu.Unlock()
		return err
	}
	return nil
}

// enter checks that the call may proceed and locks the server.
func (m *memStore) enter(ctx context.Context) error {
	select {
	case <-m.closed:
		return ErrStoreClosed
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.srv.mu.Lock()
	m.srv.ops++
	if err := m.srv.down; err != nil {
		m.srv.mu.Unlock()
		return err
	}
	return nil
}

func (m *memStore) Load(ctx context.Context, key string) (Record, error) {
	if err := m.enterKey(ctx, key); err != nil {
		return Record{}, err
	}
	defer m.srv.mu.Unlock()
	return m.srv.read(key), nil
}

func (m *memStore) Publish(ctx context.Context, key string, c Change) (Record, bool, error) {
	time.Sleep(m.srv.publishDelay)
	if err := m.enterKey(ctx, key); err != nil {
		return Record{}, false, err
	}
	s := m.srv
	defer s.mu.Unlock()
	now := s.now()
	cur := s.read(key)
	switch {
	case c.Quorum > 0:
		v := s.votes[key]
		if v == nil {
			v = map[string]time.Time{}
			s.votes[key] = v
		}
		v[c.Origin] = now
		n := 0
		for _, at := range v {
			if now.Sub(at) < c.Cooldown {
				n++
			}
		}
		if cur.State == runtime.Open && (cur.Forced || cur.Remaining > 0) || n < c.Quorum {
			return cur, false, nil
		}
	case !c.Unconditional && cur.Gen != 0 && cur.Gen != c.Base:
		return cur, false, nil
	}
	if c.State == runtime.Closed {
		delete(s.votes, key)
	}
	return s.commit(key, Record{State: c.State, Forced: c.Forced, Cooldown: c.Cooldown, Reopens: c.Reopens, Origin: c.Origin}), true, nil
}

// commit stores rec, of a new generation, as key's record and publishes
// it. s.mu must be held.
func (s *memServer) commit(key string, rec Record) Record {
	s.gen++
	rec.Gen = s.gen
	if rec.State == runtime.Open && !rec.Forced {
		rec.Remaining = rec.Cooldown
	}
	s.recs[key] = memRec{rec: rec, until: s.now().Add(rec.Remaining)}
	for ch := range s.watchers {
		select {
		case ch <- memMsg{key, rec}:
		default: // a slow watcher misses it, as a broken subscription would
		}
	}
	return rec
}

// memEvidence is a memStore that also sums failure evidence, with the
// semantics EvidenceStore documents.
type memEvidence struct{ *memStore }

func (m memEvidence) Report(ctx context.Context, key string, e Evidence) (Record, bool, error) {
	if err := m.enterKey(ctx, key); err != nil {
		return Record{}, false, err
	}
	s := m.srv
	defer s.mu.Unlock()
	now := s.now()
	cur := s.read(key)
	f := s.fails[key]
	if e.Reset || f == nil || !now.Before(f.until) {
		f = &memFails{n: map[string]int{}}
		s.fails[key] = f
	}
	if e.Failures == 0 {
		return cur, false, nil
	}
	f.n[e.Origin] += e.Failures
	f.until = now.Add(e.Cooldown)
	if cur.State == runtime.Open && (cur.Forced || cur.Remaining > 0) {
		return cur, false, nil
	}
	total := 0
	for _, n := range f.n {
		total += n
	}
	if total < e.Threshold || len(f.n) < e.Quorum {
		return cur, false, nil
	}
	delete(s.fails, key)
	return s.commit(key, Record{State: runtime.Open, Cooldown: e.Cooldown, Origin: e.Origin}), true, nil
}

// failures returns the failure evidence key holds now.
func (s *memServer) failures(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	if f := s.fails[key]; f != nil && s.now().Before(f.until) {
		for _, n := range f.n {
			total += n
		}
	}
	return total
}

func (m *memStore) Acquire(ctx context.Context, key string, gen uint64, holder string, ttl time.Duration) (Record, bool, error) {
	if err := m.enterKey(ctx, key); err != nil {
		return Record{}, false, err
	}
	s := m.srv
	defer s.mu.Unlock()
	cur := s.read(key)
	if cur.Gen != 0 && cur.Gen != gen {
		return cur, false, nil
	}
	now := s.now()
	if l, ok := s.leases[key]; ok && l.gen == gen && now.Before(l.until) && l.holder != holder {
		cur.LeaseRemaining = l.until.Sub(now)
		return cur, false, nil
	}
	s.leases[key] = memLease{gen: gen, holder: holder, until: now.Add(ttl)}
	return cur, true, nil
}

func (m *memStore) Watch(ctx context.Context, ready func(), changed func(string, Record)) error {
	if err := m.enter(ctx); err != nil {
		return err
	}
	ch := make(chan memMsg, 64)
	m.srv.watchers[ch] = true
	m.srv.mu.Unlock()
	defer func() {
		m.srv.mu.Lock()
		delete(m.srv.watchers, ch)
		m.srv.mu.Unlock()
	}()
	ready()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.closed:
			return ErrStoreClosed
		case msg, ok := <-ch:
			if !ok {
				return errors.New("connection lost")
			}
			changed(msg.key, msg.rec)
		}
	}
}
