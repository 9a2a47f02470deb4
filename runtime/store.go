package runtime

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// A Store shares breakers' state changes with the breakers of the same name
// in other processes, the replicas of a service, so that one replica's
// opening, probe result or operator action reaches them all. Only state
// changes travel through it, never calls or counts, and never on a call's
// path: a breaker talks to its Store in the background, with a deadline
// on every operation, and works as a local breaker while the Store fails.
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
	Load(ctx context.Context, key string) (Record, error)
	// Publish applies c to key's record and, if it changed the record,
	// passes the new one to every Watch. It returns the record after c
	// and whether c changed it.
	Publish(ctx context.Context, key string, c Change) (rec Record, changed bool, err error)
	// Acquire takes the probe lease of key's record of generation gen for
	// holder, for ttl, unless another holder has it or the record has
	// moved on from gen (there being no record does not stop it). It
	// returns the current record and whether holder has the lease.
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
	State State
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
}

// A Change is what a replica publishes when its breaker changes state.
type Change struct {
	State    State // Open or Closed
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

// storeConfig holds WithStore and WithQuorum.
type storeConfig struct {
	store  Store
	quorum int
}

// WithStore shares the breaker's state changes with the breakers of the
// same name in other replicas through s: an opening is adopted by the
// others (see WithQuorum), one replica at a time probes the dependency for
// all of them, the probe's result closes or reopens every replica, and
// ForceOpen and Reset reach every replica. Calls never touch s; the
// closed-state path is unchanged. While s fails, the breaker works as a
// local breaker, Stats reports it Degraded, the logger says so once, and
// sharing resumes when s answers again. A breaker made after s is closed
// works locally. New panics if s is nil or not comparable.
func WithStore(s Store) Option {
	if s == nil {
		panic("runtime: WithStore(nil): the store must not be nil")
	}
	if !reflect.TypeOf(s).Comparable() {
		panic(fmt.Sprintf("runtime: WithStore: the store's type %T is not comparable; pass a pointer", s))
	}
	return func(c *config) { c.shared.store = s }
}

// WithQuorum sets how many replicas must have opened their breaker within
// one cooldown before the others adopt the opening (WithStore). The
// default, 1, opens every replica as soon as one opens; 2 or more keeps a
// replica whose own path to the dependency is broken from opening the
// breaker everywhere. A probe's failure reopens every replica whatever the
// quorum. New panics if n < 1.
func WithQuorum(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithQuorum(%d): the quorum must be at least 1", n))
	}
	return func(c *config) { c.shared.quorum = n }
}
