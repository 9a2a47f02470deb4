package runtime

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// TestKeyTableModel runs random inserts, lookups and deletes on a
// keyTable and a Go map side by side, through growth, tombs and rebuilds,
// and checks they agree, and that a table emptied of its keys shrinks.
func TestKeyTableModel(t *testing.T) {
	const prefix = "agents/"
	tab := newKeyTable(len(prefix))
	model := map[string]*Breaker{}
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]string, 5000)
	for i := range keys {
		keys[i] = fmt.Sprint("agent-", i)
	}
	for round := range 200_000 {
		key := keys[rng.IntN(len(keys))]
		switch rng.IntN(6) {
		case 0, 1, 2:
			made := false
			b := tab.loadOrStore(key, func() *Breaker { made = true; return &Breaker{name: prefix + key} })
			if want, ok := model[key]; ok && (b != want || made) {
				t.Fatalf("round %d: loadOrStore(%q) = %p, made %v; want %p", round, key, b, made, want)
			}
			model[key] = b
		case 3:
			if got := tab.load(key); got != model[key] {
				t.Fatalf("round %d: load(%q) = %p, want %p", round, key, got, model[key])
			}
		case 4:
			_, ok := model[key]
			if got := tab.delete(key, nil); got != ok {
				t.Fatalf("round %d: delete(%q) = %v, want %v", round, key, got, ok)
			}
			delete(model, key)
		case 5: // only a key's own breaker is deleted
			other := &Breaker{name: prefix + key}
			if tab.delete(key, other) {
				t.Fatalf("round %d: delete(%q, another breaker) deleted", round, key)
			}
		}
		if round%20_000 == 0 {
			checkTable(t, tab, model)
		}
	}
	checkTable(t, tab, model)
	for key := range maps.Clone(model) {
		tab.delete(key, model[key])
		delete(model, key)
	}
	checkTable(t, tab, model)
	for i := range tab.shards {
		if sh := &tab.shards[i]; len(*sh.tab.Load()) > 8 || sh.live != 0 {
			t.Fatalf("shard %d emptied: %d slots, %d live; want 8, 0", i, len(*sh.tab.Load()), sh.live)
		}
	}
}

// checkTable checks that tab holds exactly model, each key once, with its
// shards' counts right and no fuller than three quarters.
func checkTable(t *testing.T, tab *keyTable, model map[string]*Breaker) {
	t.Helper()
	seen := map[string]bool{}
	for key, b := range tab.all {
		if seen[key] || model[key] != b {
			t.Fatalf("all: key %q (seen before: %v) with %p, want %p", key, seen[key], b, model[key])
		}
		seen[key] = true
	}
	if len(seen) != len(model) {
		t.Fatalf("all saw %d keys, want %d", len(seen), len(model))
	}
	for i := range tab.shards {
		sh := &tab.shards[i]
		s := sh.tab.Load()
		if s == nil {
			continue
		}
		live, dead := 0, 0
		for j := range *s {
			switch b := (*s)[j].Load(); {
			case b == tomb:
				dead++
			case b != nil:
				live++
			}
		}
		if live != sh.live || dead != sh.dead || (live+dead)*4 > len(*s)*3 {
			t.Fatalf("shard %d: %d live, %d tombs in %d slots; counted %d, %d", i, live, dead, len(*s), sh.live, sh.dead)
		}
	}
}

// TestSetGetRace has 8 goroutines ask for the same new keys at once
// while others iterate and insert and remove keys of their own (run with
// -race): each key has one breaker, so every goroutine gets the same one.
func TestSetGetRace(t *testing.T) {
	set := NewSet("agents")
	const getters, keys = 8, 2000
	got := make([][keys]*Breaker, getters)
	var running atomic.Int32
	running.Store(getters)
	hammer(getters+2, func(g int) {
		switch g {
		case getters: // iterates while the others insert and rebuild shards
			for running.Load() > 0 {
				seen := map[*Breaker]bool{}
				for _, b := range set.All() {
					if seen[b] {
						t.Errorf("All saw %s twice", b.Name())
					}
					seen[b] = true
				}
			}
		case getters + 1: // inserts and removes keys the getters do not use
			for i := 0; running.Load() > 0; i++ {
				key := fmt.Sprint("gone-", i)
				set.Get(key)
				if !set.Remove(key) {
					t.Errorf("Remove(%q) found nothing", key)
				}
			}
		default:
			for k := range keys {
				got[g][k] = set.Get(fmt.Sprint("agent-", k))
			}
			running.Add(-1)
		}
	})
	for k := range keys {
		for g := 1; g < getters; g++ {
			if got[g][k] != got[0][k] {
				t.Fatalf("agent-%d: goroutines 0 and %d got different breakers", k, g)
			}
		}
	}
	if n := len(set.keys()); n != keys {
		t.Fatalf("%d keys, want %d", n, keys)
	}
}
