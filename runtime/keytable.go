package runtime

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// keyTable is a Set's map from key to breaker, built for a Set of a
// million keys: 8 bytes a slot where sync.Map takes about 100 a key. A
// key is the end of its breaker's name (from offset at), so the table
// holds only pointers. Lookups take no lock and write nothing; inserts
// and deletes lock one of the shards.
//
// Each shard is an open-addressing table with linear probing. A slot
// goes from nil to a breaker, from a breaker to tomb when its key is
// deleted, and from tomb to another breaker; it never goes back to nil,
// so a lookup that meets nil has passed every slot its key could be in.
// A shard is rebuilt into a new table, published atomically, when it is
// three quarters full of breakers and tombs, half full of tombs, or less
// than an eighth full of breakers; a lookup that still reads the old
// table sees the shard as it was.
type keyTable struct {
	seed   maphash.Seed
	at     int // a key is name[at:]
	shards [shardCount]shard
}

// shardCount is the number of shards: enough that inserts from many
// goroutines seldom wait for one another and that rebuilding a shard of
// a million-key Set takes about a millisecond, few enough that an empty
// Set stays around a kilobyte.
const (
	shardBits  = 4
	shardCount = 1 << shardBits
)

// A shard is a lock for its writers and the table its readers load.
type shard struct {
	mu   sync.Mutex
	tab  atomic.Pointer[slots]
	live int // breakers in tab, under mu
	dead int // tombs in tab, under mu
	_    [64 - 8 - 8 - 8 - 8]byte
}

// slots is a table: a power of two of them.
type slots []atomic.Pointer[Breaker]

// tomb marks the slot of a deleted key.
var tomb = new(Breaker)

func newKeyTable(at int) *keyTable {
	return &keyTable{seed: maphash.MakeSeed(), at: at}
}

// shard returns key's shard and hash.
func (t *keyTable) shard(key string) (*shard, uint64) {
	h := maphash.String(t.seed, key)
	return &t.shards[h>>(64-shardBits)], h
}

// find returns the index in tab of key's breaker, and the breaker; or the
// index of the first tomb on key's path (or of the nil that ends it, if
// there is no tomb) and nil.
func (t *keyTable) find(tab slots, h uint64, key string) (int, *Breaker) {
	mask := uint64(len(tab) - 1)
	free := -1
	for i := h & mask; ; i = (i + 1) & mask {
		switch b := tab[i].Load(); {
		case b == nil:
			if free < 0 {
				free = int(i)
			}
			return free, nil
		case b == tomb:
			if free < 0 {
				free = int(i)
			}
		case b.name[t.at:] == key:
			return int(i), b
		}
	}
}

// load returns key's breaker, or nil.
func (t *keyTable) load(key string) *Breaker {
	sh, h := t.shard(key)
	tab := sh.tab.Load()
	if tab == nil {
		return nil
	}
	_, b := t.find(*tab, h, key)
	return b
}

// loadOrStore returns key's breaker, storing the one made by newB first
// if there is none. newB runs under the shard's lock, so that a key never
// has two breakers.
func (t *keyTable) loadOrStore(key string, newB func() *Breaker) *Breaker {
	sh, h := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if tab := sh.tab.Load(); tab != nil {
		if _, b := t.find(*tab, h, key); b != nil {
			return b
		}
	}
	if tab := sh.tab.Load(); tab == nil || (sh.live+sh.dead+1)*4 > len(*tab)*3 {
		t.rebuild(sh, sh.live+1)
	}
	tab := *sh.tab.Load()
	i, _ := t.find(tab, h, key)
	if tab[i].Load() == tomb {
		sh.dead--
	}
	b := newB()
	tab[i].Store(b)
	sh.live++
	return b
}

// delete removes key's breaker if it is b, or any breaker if b is nil, and
// reports whether it removed one.
func (t *keyTable) delete(key string, b *Breaker) bool {
	sh, h := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	tab := sh.tab.Load()
	if tab == nil {
		return false
	}
	i, found := t.find(*tab, h, key)
	if found == nil || b != nil && found != b {
		return false
	}
	(*tab)[i].Store(tomb)
	sh.live--
	sh.dead++
	if n := len(*tab); sh.dead*2 > n || n > 8 && sh.live*8 < n {
		t.rebuild(sh, sh.live)
	}
	return true
}

// rebuild publishes a new table for sh's breakers, at most half full with
// n of them, and without tombs. The caller holds sh.mu.
func (t *keyTable) rebuild(sh *shard, n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	tab := make(slots, size)
	if old := sh.tab.Load(); old != nil {
		mask := uint64(size - 1)
		for i := range *old {
			b := (*old)[i].Load()
			if b == nil || b == tomb {
				continue
			}
			j := maphash.String(t.seed, b.name[t.at:]) & mask
			for tab[j].Load() != nil {
				j = (j + 1) & mask
			}
			tab[j].Store(b)
		}
	}
	sh.tab.Store(&tab)
	sh.dead = 0
}

// all calls yield with every breaker of t until it returns false, each
// shard as it was when all reached it: a breaker is not seen twice.
func (t *keyTable) all(yield func(key string, b *Breaker) bool) {
	for s := range t.shards {
		tab := t.shards[s].tab.Load()
		if tab == nil {
			continue
		}
		for i := range *tab {
			b := (*tab)[i].Load()
			if b == nil || b == tomb {
				continue
			}
			if !yield(b.name[t.at:], b) {
				return
			}
		}
	}
}
