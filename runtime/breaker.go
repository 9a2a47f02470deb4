package runtime

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// A Breaker is a circuit breaker guarding one dependency. It is safe for
// concurrent use by any number of goroutines. Create it with New.
type Breaker struct {
	// word packs the generation (every state change starts a new one),
	// flags and the state: gen<<genShift | flags | state. Calls carry the
	// word they were admitted under, so results from an older generation
	// are recognised. Written under mu, read atomically; a plain uint64
	// keeps Allow inlinable.
	word uint64
	// openUntil is when the cooldown ends, on b's clock (since).
	openUntil atomic.Int64

	// What the closed circuit's successes and the cooling open circuit's
	// rejections read: in a contended breaker, whose counters have their
	// cells, nothing in these first 64 bytes is written on those paths.
	successes counter
	rejected  counter // under WithShadow, the calls it would have rejected
	// cooling is the rejection of the open circuit while its cooldown
	// runs, cleared by timer when it ends (reject.go); nil otherwise.
	cooling atomic.Pointer[CircuitBreakerError]
	// lastReject is the most recent rejection, reused while it is accurate.
	lastReject atomic.Pointer[CircuitBreakerError]

	failures atomic.Uint64
	slow     atomic.Uint64
	ignored  atomic.Uint64

	mu       sync.Mutex
	consec   int64 // consecutive failures; flagFailing says whether it is 0
	inflight int32 // probes of this half-open generation yet to report
	probeOK  int32 // probes of this generation that succeeded
	reopens  int32 // reopenings from half-open since the circuit last closed, saturating
	forced   bool
	// delivering is set while a goroutine is reporting state changes.
	delivering bool
	// created is when New made the breaker, on b's clock (since): a Set's
	// breakers share the clock's start, which is the Set's.
	created  int64
	waitFrom int64   // when the half-open circuit began waiting for a probe result
	win      *window // the outcomes of WithFailureRate; nil without it
	// cooldown is the latest opening's, and nextCooldown the one a
	// reopening from this half-open generation would get (WithBackoff).
	cooldown     time.Duration
	nextCooldown time.Duration

	hist *history // what a breaker keeps once its state has changed; nil before; under mu

	name string
	cfg  *config // shared by the breakers of a Set made with the same options

	sh *plugin // runtime/shared's, or another plug-in's (plug.go); nil without one

	swept uint64 // a Set's sweeps' record of b (evict.go)
}

// history is what a breaker needs only once its state has changed, kept
// behind a pointer allocated on the first need (historyLocked), since most
// breakers of a Set never change.
type history struct {
	pairs   transitionCounts // the transitions by (from, to)
	pending *[]transition    // state changes not yet reported; nil when none are
	timer   *time.Timer      // clears cooling at the cooldown's end
}

// historyLocked returns b's history, allocating it if b has none yet.
// b.mu must be held.
func (b *Breaker) historyLocked() *history {
	if b.hist == nil {
		b.hist = new(history)
	}
	return b.hist
}

// The word's low bits: the state, then two flags fixed at New that send
// calls of a closed circuit down the slow paths only for breakers that
// need them, and one that a closed circuit's failures set, so that the
// default breaker's fast paths test one mask each.
const (
	stateBits   = 2
	stateMask   = 1<<stateBits - 1
	flagRecord  = 1 << stateBits       // closed outcomes are recorded in a window: Done takes the lock
	flagTimed   = 1 << (stateBits + 1) // calls are timed: Allow reads the clock
	flagMask    = flagRecord | flagTimed
	flagFailing = 1 << (stateBits + 2) // closed, with consecutive failures: a success must reset them
	genShift    = stateBits + 3

	// spent is the word of a reported Permit: no breaker's word, since no
	// State is 3.
	spent = stateMask

	cacheLine = 64
	forever   = math.MaxInt64
)

func stateOf(word uint64) State { return State(word & stateMask) }

func (b *Breaker) loadWord() uint64 { return atomic.LoadUint64(&b.word) }

// sameGeneration reports whether words v and w belong to one generation:
// they differ at most in flagFailing, which changes within a generation.
func sameGeneration(v, w uint64) bool { return (v^w)&^flagFailing == 0 }

// New returns a closed breaker with the given name, which appears in errors,
// logs and stats. Without options it opens after 5 consecutive failures,
// stays open for 30s and then admits 1 probe.
func New(name string, opts ...Option) *Breaker {
	cfg := newConfig(opts)
	return newBreaker(name, &cfg)
}

// newBreaker returns a closed breaker with the configuration cfg, which
// it never changes.
func newBreaker(name string, cfg *config) *Breaker {
	b := &Breaker{name: name, cfg: cfg}
	b.created = b.since()
	b.cooldown = b.cfg.cooldown
	if b.cfg.failureRate > 0 {
		b.win = newWindow(b.cfg.window)
		b.word |= flagRecord
	}
	if b.cfg.slowRate > 0 {
		b.word |= flagTimed
	}
	b.plug()
	return b
}

// Name returns the breaker's name.
func (b *Breaker) Name() string { return b.name }

// effectiveLocked returns the state at now, and for an open circuit the
// time until it admits a probe, counting the changes that happen without a
// call: the end of the cooldown and the reopening of a half-open circuit
// whose probes are overdue. b.mu must be held.
func (b *Breaker) effectiveLocked(now int64) (State, time.Duration) {
	s := stateOf(b.loadWord())
	until := b.openUntil.Load()
	if s == HalfOpen {
		at, overdue := b.overdueLocked(now)
		if !overdue {
			return HalfOpen, 0
		}
		s, until = Open, addSat(at, b.nextCooldown)
	}
	switch {
	case s != Open:
		return s, 0
	case b.forced:
		return Open, b.cfg.cooldown
	case now >= until:
		return HalfOpen, 0
	}
	return Open, subSat(until, now)
}

// overdueLocked reports whether the half-open circuit is due to reopen at
// now because it has waited WithHalfOpenMaxWait for a probe result, and
// when it was due. b.mu must be held.
func (b *Breaker) overdueLocked(now int64) (at int64, overdue bool) {
	if b.cfg.maxWait == 0 || b.inflight == 0 {
		return 0, false
	}
	at = addSat(b.waitFrom, b.cfg.maxWait)
	return at, now >= at
}
