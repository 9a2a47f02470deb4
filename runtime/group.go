package runtime

import (
	"iter"
	"slices"
	"sync"
)

// A Group is what an exporter reads: single breakers and whole Sets, whose
// breakers it sees as the Set holds them at the time, so breakers a Set
// creates later appear and removed or evicted ones disappear. The zero
// Group is empty and ready to use. It is safe for concurrent use.
type Group struct {
	mu       sync.RWMutex
	breakers []*Breaker
	single   map[*Breaker]bool
	sets     []*Set
}

// Add adds single breakers. A breaker added twice, or also in an added Set,
// is seen once.
func (g *Group) Add(breakers ...*Breaker) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.single == nil {
		g.single = map[*Breaker]bool{}
	}
	for _, b := range breakers {
		if !g.single[b] {
			g.single[b] = true
			g.breakers = append(g.breakers, b)
		}
	}
}

// AddSet adds every breaker of each Set, now and later.
func (g *Group) AddSet(sets ...*Set) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range sets {
		if !slices.Contains(g.sets, s) {
			g.sets = append(g.sets, s)
		}
	}
}

// All returns an iterator over the breakers of the Group: the single ones
// in the order they were added, then each Set's (see Set.All). The loop
// body must not call Add or AddSet.
func (g *Group) All() iter.Seq[*Breaker] {
	return func(yield func(*Breaker) bool) {
		g.mu.RLock()
		defer g.mu.RUnlock()
		for _, b := range g.breakers {
			if !yield(b) {
				return
			}
		}
		for _, s := range g.sets {
			for _, b := range s.All() {
				if !g.single[b] && !yield(b) {
					return
				}
			}
		}
	}
}
