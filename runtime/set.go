package runtime

import (
	"slices"
	"strings"
	"sync"
)

// A Set holds one breaker per key, created on first use with the Set's
// options: one per agent in a coordinator, or one per method in a wrapper
// generated with -per-method. It is safe for concurrent use.
type Set struct {
	prefix string
	opts   []Option
	m      sync.Map // string -> *Breaker
}

// NewSet returns an empty Set whose breakers are named prefix/key (key alone
// when prefix is empty) and configured with opts.
func NewSet(prefix string, opts ...Option) *Set {
	newConfig(opts) // apply the options once, so a bad one fails here
	return &Set{prefix: prefix, opts: slices.Clone(opts)}
}

// Get returns the breaker for key, creating it on first use.
func (s *Set) Get(key string) *Breaker {
	if b, ok := s.m.Load(key); ok {
		return b.(*Breaker)
	}
	name := key
	if s.prefix != "" {
		name = s.prefix + "/" + key
	}
	b, _ := s.m.LoadOrStore(key, New(name, s.opts...))
	return b.(*Breaker)
}

// Remove forgets the breaker for key, as when an agent leaves for good; the
// next Get creates a fresh one. It reports whether key was present.
func (s *Set) Remove(key string) bool {
	_, ok := s.m.LoadAndDelete(key)
	return ok
}

// Keys returns the keys present, sorted.
func (s *Set) Keys() []string {
	var keys []string
	s.m.Range(func(k, _ any) bool {
		keys = append(keys, k.(string))
		return true
	})
	slices.Sort(keys)
	return keys
}

// Stats returns the stats of every breaker in the Set, sorted by name.
func (s *Set) Stats() []Stats {
	var stats []Stats
	s.m.Range(func(_, b any) bool {
		stats = append(stats, b.(*Breaker).Stats())
		return true
	})
	slices.SortFunc(stats, func(a, b Stats) int { return strings.Compare(a.Name, b.Name) })
	return stats
}

// Reset resets every breaker in the Set.
func (s *Set) Reset() {
	s.m.Range(func(_, b any) bool {
		b.(*Breaker).Reset()
		return true
	})
}
