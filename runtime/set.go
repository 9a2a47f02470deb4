package runtime

import (
	"iter"
	"slices"
	"sync"
	"sync/atomic"
)

// A Set holds one breaker per key, created on first use with the Set's
// options: one per agent in a coordinator, or one per method in a wrapper
// generated with -per-method. Keys can get options of their own
// (WithKeyOptions) and idle breakers can be evicted (WithIdleEviction), so
// a Set can live as long as the service. It is safe for concurrent use.
type Set struct {
	prefix     string
	opts       []Option
	keyOptions func(key string) []Option
	cfg        *config // opts applied, shared by the breakers of keys without options of their own
	m          *keyTable

	// Idle eviction (evict.go); idle is 0 without it.
	idle      int64 // nanoseconds, on the clock of cfg (since)
	nextSweep atomic.Int64
	sweeping  sync.Mutex
}

// NewSet returns an empty Set whose breakers are named prefix/key (key alone
// when prefix is empty) and configured with the options of
// WithBreakerOptions and WithKeyOptions. NewSet panics, as New does, if the
// breakers' options do not fit together.
func NewSet(prefix string, opts ...SetOption) *Set {
	var sc setConfig
	for _, o := range opts {
		o(&sc)
	}
	c := newConfig(sc.opts) // apply the options once, so a bad one fails here
	s := &Set{
		prefix:     prefix,
		opts:       sc.opts,
		keyOptions: sc.keyOptions,
		cfg:        &c,
		idle:       int64(sc.idle),
	}
	// A key is the end of its breaker's name.
	if prefix == "" {
		s.m = newKeyTable(0)
	} else {
		s.m = newKeyTable(len(prefix) + 1)
	}
	if s.idle > 0 {
		s.nextSweep.Store(s.every())
	}
	return s
}

// Get returns the breaker for key, creating it on first use.
func (s *Set) Get(key string) *Breaker {
	var now int64
	if s.idle > 0 {
		now = s.since()
		s.sweep(now)
	}
	if b := s.m.load(key); b != nil {
		return b
	}
	return s.m.loadOrStore(key, func() *Breaker {
		b := s.newBreaker(key)
		if s.idle > 0 {
			b.swept = packSwept(0, s.tick(now))
		}
		return b
	})
}

// newBreaker returns a fresh breaker for key.
func (s *Set) newBreaker(key string) *Breaker {
	name := key
	if s.prefix != "" {
		name = s.prefix + "/" + key
	}
	if s.keyOptions != nil {
		if extra := s.keyOptions(key); len(extra) > 0 {
			c := newConfig(append(slices.Clip(s.opts), extra...))
			return newBreaker(name, &c)
		}
	}
	return newBreaker(name, s.cfg)
}

// Remove forgets the breaker for key, as when an agent leaves for good; the
// next Get creates a fresh one. It reports whether key was present.
func (s *Set) Remove(key string) bool {
	return s.m.delete(key, nil)
}

// All returns an iterator over the keys present and their breakers, in no
// particular order. A key added or removed while it runs may or may not be
// seen; no key is seen twice. With WithIdleEviction it sweeps first.
func (s *Set) All() iter.Seq2[string, *Breaker] {
	return func(yield func(string, *Breaker) bool) {
		if s.idle > 0 {
			s.sweep(s.since())
		}
		s.m.all(yield)
	}
}
