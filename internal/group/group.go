// Package group holds the breakers a metrics adapter reads, for
// breakerprom and breakerotel: single breakers and whole Sets, each
// breaker seen once. Like metricname, it is internal to the repository
// and importable by the adapters' modules.
package group

import (
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/breakergen/breakergen/runtime"
)

// A Group holds single breakers and whole Sets, whose breakers it sees as
// the Set holds them at the time, so breakers a Set creates later appear
// and removed or evicted ones disappear. The zero Group is empty and ready
// to use. It is safe for concurrent use.
type Group struct {
	mu       sync.RWMutex
	breakers []*runtime.Breaker
	single   map[*runtime.Breaker]bool
	sets     []*runtime.Set
}

// Add adds single breakers. A breaker added twice, or also in an added Set,
// is seen once. A nil breaker is a programming error: Add panics with a
// message that starts with call, the adapter's method, and adds none of
// the breakers, as prometheus.MustRegister does, so the mistake shows
// where it is made and not at the next scrape.
func (g *Group) Add(call string, breakers ...*runtime.Breaker) {
	mustNotBeNil(call, breakers)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.single == nil {
		g.single = map[*runtime.Breaker]bool{}
	}
	for _, b := range breakers {
		if !g.single[b] {
			g.single[b] = true
			g.breakers = append(g.breakers, b)
		}
	}
}

// AddSet adds every breaker of each Set, now and later. A nil Set panics,
// as a nil breaker does in Add, and adds none of the Sets.
func (g *Group) AddSet(call string, sets ...*runtime.Set) {
	mustNotBeNil(call, sets)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range sets {
		if !slices.Contains(g.sets, s) {
			g.sets = append(g.sets, s)
		}
	}
}

// Remove removes single breakers added with Add; a breaker the Group does
// not hold is ignored. A breaker also in an added Set is still seen
// through the Set.
func (g *Group) Remove(breakers ...*runtime.Breaker) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, b := range breakers {
		if g.single[b] {
			delete(g.single, b)
			g.breakers = slices.DeleteFunc(g.breakers, func(x *runtime.Breaker) bool { return x == b })
		}
	}
}

// RemoveSet removes Sets added with AddSet; a Set the Group does not hold
// is ignored.
func (g *Group) RemoveSet(sets ...*runtime.Set) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sets = slices.DeleteFunc(g.sets, func(s *runtime.Set) bool { return slices.Contains(sets, s) })
}

// mustNotBeNil panics if an argument of call is nil.
func mustNotBeNil[T any](call string, args []*T) {
	for i, a := range args {
		if a == nil {
			panic(fmt.Sprintf("%s: argument %d of %d is a nil %T; pass a value made by runtime.New or runtime.NewSet", call, i+1, len(args), a))
		}
	}
}

// All returns an iterator over the breakers of the Group: the single ones
// in the order they were added, then each Set's (see Set.All). The loop
// body must not call Add, AddSet, Remove or RemoveSet.
func (g *Group) All() iter.Seq[*runtime.Breaker] {
	return func(yield func(*runtime.Breaker) bool) {
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
