// Package hook is the door between a breaker and what the sub-packages of
// runtime plug into it, such as runtime/shared: what the plug-in sees of
// the breaker (Breaker), what the breaker asks of the plug-in (Sharer),
// and how a sub-package's option reaches the breaker's configuration
// (Ext, Option).
//
// States are passed as the values of runtime.State: 0 closed, 1 open,
// 2 half-open.
package hook

import (
	"log/slog"
	"time"
)

// A Breaker is what a plug-in sees of one breaker. Methods whose name ends
// in Locked must be called between Lock and Unlock.
type Breaker interface {
	Name() string
	// Logger is the breaker's WithLogger, or nil.
	Logger() *slog.Logger
	// Cooldown and MaxWait are WithCooldown's and WithHalfOpenMaxWait's.
	Cooldown() time.Duration
	MaxWait() time.Duration
	// Threshold is WithFailureThreshold's: the consecutive failures that
	// open the circuit; 0 when that rule is off.
	Threshold() int
	// Since returns the breaker's time: nanoseconds since it was made, on
	// its clock.
	Since() int64

	Lock()
	Unlock()
	// Word returns the breaker's state word, which changes with every
	// state change; StateLocked its state.
	Word() uint64
	StateLocked() uint8
	// OpeningLocked returns the latest opening's cooldown, how many times
	// in a row the circuit reopened from half-open, and whether it was
	// forced open.
	OpeningLocked() (cooldown time.Duration, reopens int, forced bool)
	// AdoptLocked makes a record of another replica the breaker's state.
	// It returns the report of the change, to be called once unlocked.
	AdoptLocked(a Adoption) (report func())
}

// An Adoption is the state a breaker takes from a shared record: Closed,
// or Open (forced, or for Remaining of a cooldown of Cooldown, after
// Reopens reopenings).
type Adoption struct {
	State     uint8
	Forced    bool
	Remaining time.Duration
	Cooldown  time.Duration
	Reopens   int
}

// A Sharer is the plug-in of one breaker.
type Sharer interface {
	// MayProbe reports whether the open circuit of generation gen, whose
	// cooldown is over at now, may turn half-open and probe; if not, it
	// returns the wait its rejection suggests.
	MayProbe(gen uint64, now int64) (ok bool, retry time.Duration)
	// ChangedLocked is told of every state change, with the breaker's lock
	// held, once the state is to. For a change being adopted it returns
	// the replica it came from; otherwise "".
	ChangedLocked(from, to uint8) (origin string)
	// OutcomeLocked is told, with the breaker's lock held, of each failure
	// the closed circuit counts, and of each success that ends a run of
	// them (failed false); never of the other successes.
	OutcomeLocked(failed bool)
	// Degraded reports whether the breaker works locally because what it
	// shares through fails, and since when.
	Degraded() (since time.Time, degraded bool)
}

// Ext is the part of a breaker's configuration that plug-ins set.
type Ext struct {
	// New makes the breaker's Sharer; nil for none.
	New func(b Breaker, e *Ext) Sharer
	// Quorum is for runtime/shared's WithQuorum.
	Quorum int
	// Needs, if set, is the panic of an option that needs New.
	Needs string
	// Now is runtime/breakertest's WithClock: the breaker's clock, instead
	// of time.Now.
	Now func() time.Time
}

// Option returns the runtime.Option that applies f to a breaker's Ext.
// Package runtime sets it when it is initialized, and nothing changes it
// after that.
var Option func(f func(*Ext)) any
