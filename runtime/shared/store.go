package shared

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/internal/hook"
)

// A Store shares breakers' state changes with the breakers of the same name
// in other processes, the replicas of a service, so that one replica's
// opening, probe result or operator action reaches them all. Only state
// changes travel through it (and, through an EvidenceStore, counts of
// failures), never successful calls, and never on a call's path: a
// breaker talks to its Store in the background, with a deadline on every
// operation, and works as a local breaker while the Store fails.
//
// Keys are breaker names ("agents/bravo" for the key "bravo" of the Set
// "agents"). The Store decides when a Change takes effect, atomically per
// key, and dates records with its own clock, so replicas never compare
// their clocks. Implementations must be safe for concurrent use and
// comparable (a pointer type): breakers using the same Store share one
// subscription. The module github.com/breakergen/breakergen/redisstore
// implements it on Redis.
//
// If a Store has a method Replica() string, its result names this process
// in the Origin of its changes; otherwise the name is built from the host
// name and the process id.
type Store interface {
	// Load returns key's record, or the zero Record if there is none.
	// State it cannot read is not an error: it is deleted, and reported
	// in the Record's Repaired, as by Publish and Acquire.
	Load(ctx context.Context, key string) (Record, error)
	// Publish applies c to key's record and, if it changed the record,
	// passes the new one to every Watch. It returns the record after c
	// and whether c changed it.
	Publish(ctx context.Context, key string, c Change) (rec Record, changed bool, err error)
	// Acquire takes the probe lease of key's record of generation gen for
	// holder, for ttl, unless another holder has it or the record has
	// moved on from gen (there being no record does not stop it). It
	// returns the current record and whether holder has the lease; when
	// another holder has it, the record's LeaseRemaining says for how
	// long.
	Acquire(ctx context.Context, key string, gen uint64, holder string, ttl time.Duration) (rec Record, granted bool, err error)
	// Watch calls ready once it receives every record published from then
	// on, then changed for each of them, in order, from one goroutine.
	// It returns when ctx is done, when the Store is closed (an error
	// matching ErrStoreClosed), or with an error when the subscription
	// breaks; the breakers watch again and reload their records.
	Watch(ctx context.Context, ready func(), changed func(key string, rec Record)) error
}

// ErrStoreClosed is what a Store's methods return once it is closed.
var ErrStoreClosed = errors.New("breaker store closed")

// A Record is the shared state of one breaker name.
type Record struct {
	// Gen orders records: every change gets a higher one. Zero means
	// there is no record.
	Gen uint64
	// State is Open or Closed.
	State runtime.State
	// Forced marks an operator's record: an Open one made by ForceOpen,
	// open until Reset, or a Closed one made by Reset, which closes every
	// replica.
	Forced bool
	// Remaining is what was left of the cooldown when the record was
	// read or published, by the Store's clock.
	Remaining time.Duration
	// Cooldown is the cooldown of the opening; Reopens how many times in
	// a row the circuit reopened from half-open (WithBackoff).
	Cooldown time.Duration
	Reopens  int
	// Origin names the replica that made the change.
	Origin string
	// LeaseRemaining, in the record of an Acquire that another holder's
	// lease refused, is what is left of that lease by the Store's clock;
	// the replica asks again when it runs out. Zero means unknown: it
	// asks again after the lease's full length. So a lease in its last
	// instant says a little, not zero (redisstore: 1ms for a PTTL of 0).
	LeaseRemaining time.Duration
	// Repaired, when not empty, says that the Store found shared state of
	// the key it could not read (another program wrote it, or a version
	// that stored it otherwise), deleted it, and why. A Record read from
	// a deleted record is the zero Record; the breaker logs the repair and
	// replaces the record with its own state.
	Repaired string
}

// A Change is what a replica publishes when its breaker changes state.
type Change struct {
	State    runtime.State // Open or Closed
	Forced   bool
	Cooldown time.Duration
	Reopens  int
	Origin   string
	// Quorum, if positive, makes the change a vote to open: the Store
	// records that Origin opened, and opens the record, for Cooldown, once
	// Quorum distinct replicas voted within Cooldown, unless it is open
	// already. Base and Unconditional do not apply to votes.
	Quorum int
	// Base is the generation the change follows: unless Unconditional,
	// it applies only if the record's Gen is still Base, or there is no
	// record.
	Base          uint64
	Unconditional bool
}

// WithStore shares the breaker's state changes with the breakers of the
// same name in other replicas through s: an opening is adopted by the
// others (see WithQuorum), one replica at a time probes the dependency for
// all of them, the probe's result closes or reopens every replica, and
// ForceOpen and Reset reach every replica. Calls never touch s; the
// closed-state path is unchanged. While s fails, the breaker works as a
// local breaker, its Stats report since when it is degraded (DegradedSince), its logger (WithLogger)
// says so once, and sharing resumes when s answers again. A breaker made
// after s is closed works locally. WithStore panics if s is nil or not
// comparable.
func WithStore(s Store) runtime.Option {
	if s == nil {
		panic("shared: WithStore(nil): the store must not be nil")
	}
	if !reflect.TypeOf(s).Comparable() {
		panic(fmt.Sprintf("shared: WithStore: the store's type %T is not comparable; pass a pointer", s))
	}
	return option(func(e *hook.Ext) {
		e.New = func(b hook.Breaker, e *hook.Ext) hook.Sharer { return newSharer(s, b, e.Quorum) }
	})
}

// WithQuorum sets how many replicas must have opened their breaker within
// one cooldown before the others adopt the opening (WithStore, which it
// needs). The default, 1, opens every replica as soon as one opens; 2 or
// more keeps a replica whose own path to the dependency is broken from
// opening the breaker everywhere. A probe's failure reopens every replica
// whatever the quorum. WithQuorum panics if n < 1; runtime.New and
// runtime.NewSet panic if WithStore is missing.
func WithQuorum(n int) runtime.Option {
	if n < 1 {
		panic(fmt.Sprintf("shared: WithQuorum(%d): the quorum must be at least 1", n))
	}
	return option(func(e *hook.Ext) {
		e.Quorum = n
		e.Needs = "shared: WithQuorum needs WithStore: the quorum counts the replicas that share a Store; add WithStore or remove WithQuorum"
	})
}

// option returns the runtime.Option that applies f to a breaker's hook.Ext.
func option(f func(*hook.Ext)) runtime.Option { return hook.Option(f).(runtime.Option) }
