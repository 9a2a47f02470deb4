package runtime

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// A Breaker is a circuit breaker guarding one dependency. It is safe for
// concurrent use by any number of goroutines. Create it with New.
type Breaker struct {
	// word packs the generation (every state change starts a new one) and
	// the state: gen<<stateBits | state. Calls carry the word they were
	// admitted under, so results from an older generation are recognised.
	// Accessed only atomically; a plain uint64 keeps Allow inlinable.
	word uint64
	// consec counts consecutive failures; written under mu, read freely.
	consec atomic.Int64
	// openUntil is when the cooldown ends, in nanoseconds since base.
	openUntil atomic.Int64
	_         [cacheLine]byte // keep the counters below off word's cache line

	successes stripedCounter
	failures  atomic.Uint64
	rejected  atomic.Uint64
	slow      atomic.Uint64
	// lastReject is the most recent rejection, reused while it is accurate.
	lastReject atomic.Pointer[CircuitBreakerError]

	mu          sync.Mutex
	inflight    int   // probes of this half-open generation yet to report
	probeOK     int   // probes of this generation that succeeded
	waitFrom    int64 // when the half-open circuit began waiting for a probe result
	forced      bool
	transitions uint64
	pending     []transition // state changes not yet reported
	delivering  bool         // a goroutine is reporting state changes
	win         *window      // the outcomes of WithFailureRate; nil without it
	// reopens counts reopenings from half-open since the circuit last
	// closed; cooldown is the latest opening's, and nextCooldown the one a
	// reopening from this half-open generation would get (WithBackoff).
	reopens      int
	cooldown     time.Duration
	nextCooldown time.Duration

	name string
	base time.Time
	cfg  config

	sh *shared // WithStore; nil without it
}

// The word's low bits: the state, then two flags fixed at New that send
// calls of a closed circuit down the slow paths only for breakers that
// need them, so the default breaker's fast paths test one mask each.
const (
	stateBits  = 2
	stateMask  = 1<<stateBits - 1
	flagRecord = 1 << stateBits       // closed outcomes are recorded in a window: Done takes the lock
	flagTimed  = 1 << (stateBits + 1) // calls are timed: Allow reads the clock
	flagMask   = flagRecord | flagTimed
	genShift   = stateBits + 2

	cacheLine = 64
	forever   = math.MaxInt64
)

func stateOf(word uint64) State { return State(word & stateMask) }

func (b *Breaker) loadWord() uint64 { return atomic.LoadUint64(&b.word) }

// New returns a closed breaker with the given name, which appears in errors,
// logs and stats. Without options it opens after 5 consecutive failures,
// stays open for 30s and then admits 1 probe.
func New(name string, opts ...Option) *Breaker {
	b := &Breaker{name: name, cfg: newConfig(opts)}
	b.base = time.Now()
	if b.cfg.now != nil {
		b.base = b.cfg.now()
	}
	b.cooldown = b.cfg.cooldown
	if b.cfg.failureRate > 0 {
		b.win = newWindow(b.cfg.window)
		b.word |= flagRecord
	}
	if b.cfg.slowRate > 0 {
		b.word |= flagTimed
	}
	b.share()
	return b
}

// Name returns the breaker's name.
func (b *Breaker) Name() string { return b.name }

// State returns the current state. An open breaker whose cooldown has passed
// reports HalfOpen, since the next call would be admitted as a probe; a
// half-open breaker whose probes are overdue (WithHalfOpenMaxWait) reports
// Open, since the next call will reopen it.
func (b *Breaker) State() State {
	switch s := stateOf(b.loadWord()); {
	case s == Open && b.since() >= b.openUntil.Load():
		return HalfOpen
	case s == HalfOpen && b.cfg.maxWait > 0:
		now := b.since()
		b.mu.Lock()
		s, _ = b.effectiveLocked(now)
		b.mu.Unlock()
		return s
	default:
		return s
	}
}

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

// subSat returns until-now, saturating at the longest Duration.
func subSat(until, now int64) time.Duration {
	if now < 0 && until > math.MaxInt64+now {
		return math.MaxInt64
	}
	return time.Duration(until - now)
}

// addSat returns t+d, saturating just short of forever, which marks a
// circuit forced open.
func addSat(t int64, d time.Duration) int64 {
	if s := t + int64(d); s >= t && s < forever {
		return s
	}
	return forever - 1
}

// since returns the time since b was created, in nanoseconds. Without an
// injected clock it reads only the monotonic clock, which is cheaper than
// time.Now.
func (b *Breaker) since() int64 {
	if b.cfg.now == nil {
		return int64(time.Since(b.base))
	}
	return int64(b.cfg.now().Sub(b.base))
}

// A Permit is one admitted call. Report its result with Done, and defer
// Release so that a panic or runtime.Goexit in the call counts as a failure.
// Only the first Done or Release of a Permit counts; the zero Permit does
// nothing.
type Permit struct {
	b    *Breaker // nil once the result is reported
	ctx  context.Context
	word uint64
	// A Permit is kept to four words, which the compiler passes in
	// registers: a fifth word makes every Allow copy it through memory,
	// costing the default path about 8ns. A breaker that times calls keeps
	// what does not fit in a timedCall (see timed.go).
}

// Allow asks for permission to make one call. If the circuit is open, or
// half-open with every probe slot taken, it returns a *CircuitBreakerError
// and the call must not be made.
func (b *Breaker) Allow() (p Permit, err error) {
	// Kept within the compiler's inlining budget: one atomic load and a
	// branch on the closed path.
	p.b, p.word = b, atomic.LoadUint64(&b.word)
	if p.word&(stateMask|flagTimed) != uint64(Closed) {
		err = p.admit()
	}
	return
}

// AllowContext is Allow for a call made on behalf of ctx. If ctx is already
// done it returns ctx.Err() without taking a permit, so a dead request cannot
// use up a half-open probe. A failure reported while ctx is canceled counts
// as Ignore: the caller gave up, the dependency did not necessarily fail. A
// deadline that runs out during the call is still a failure.
func (b *Breaker) AllowContext(ctx context.Context) (p Permit, err error) {
	if err = ctx.Err(); err != nil {
		return p, err
	}
	p.b, p.ctx, p.word = b, ctx, atomic.LoadUint64(&b.word)
	if p.word&(stateMask|flagTimed) != uint64(Closed) {
		err = p.admit()
	}
	return p, err
}

// admit takes the slow path of Allow: it fills in the word p is admitted
// under and, if calls are timed, the time, or empties p and returns the
// rejection.
func (p *Permit) admit() error {
	w, err := p.b.allowSlow()
	if err != nil {
		*p = Permit{}
		return err
	}
	p.word = w
	if w&flagTimed != 0 {
		p.startTimed(w, p.b.since())
	}
	return nil
}

// allowSlow admits or rejects a call when the circuit is not closed, and
// returns the word the call is admitted under.
func (b *Breaker) allowSlow() (uint64, error) {
	for {
		w := b.loadWord()
		switch stateOf(w) {
		case Closed:
			return w, nil
		case Open:
			now := b.since()
			until := b.openUntil.Load()
			if b.loadWord() != w {
				continue // openUntil belongs to another generation
			}
			if until == forever {
				return 0, b.reject(Open, b.cfg.cooldown) // forced open: suggest a cooldown
			}
			if now < until {
				return 0, b.reject(Open, subSat(until, now))
			}
			if ok, retry := b.mayProbe(w, now); !ok {
				return 0, b.reject(HalfOpen, retry) // another replica probes (WithStore)
			}
			b.mu.Lock()
			var ev transition
			if b.loadWord() == w {
				ev = b.setLocked(HalfOpen, now)
			}
			b.mu.Unlock()
			b.notify(ev)
		case HalfOpen:
			b.mu.Lock()
			if b.loadWord() != w {
				b.mu.Unlock()
				continue
			}
			var now int64
			if b.cfg.maxWait > 0 {
				now = b.since() // under the lock, so waiting for it cannot date the probe early
			}
			if at, overdue := b.overdueLocked(now); overdue {
				ev := b.setLocked(Open, at)
				b.mu.Unlock()
				b.notify(ev)
				continue // the reopened circuit may be due a probe already
			}
			// At most probes in flight, and no more in all than closing
			// the circuit can take.
			if b.inflight < b.cfg.probes && b.inflight+b.probeOK < max(b.cfg.probes, b.cfg.successes) {
				if b.inflight == 0 {
					b.waitFrom = now // the wait for a result starts
				}
				b.inflight++
				b.mu.Unlock()
				return w, nil
			}
			retry := b.cooldown
			b.mu.Unlock()
			return 0, b.reject(HalfOpen, retry)
		}
	}
}

// reject counts a rejection and returns its error. RetryAfter is rounded up
// to the millisecond, so that under a storm of calls the rejections of the
// same millisecond share one error value instead of allocating each.
func (b *Breaker) reject(s State, retry time.Duration) error {
	b.rejected.Add(1)
	if r := retry % time.Millisecond; r != 0 && retry <= math.MaxInt64-time.Millisecond {
		retry += time.Millisecond - r
	}
	if e := b.lastReject.Load(); e != nil && e.RetryAfter == retry && e.State == s {
		return e
	}
	e := &CircuitBreakerError{Name: b.name, State: s, RetryAfter: retry}
	b.lastReject.Store(e)
	return e
}

// Done reports the result of the call: a nil err is a Success, any other is
// classified by the breaker's classifier.
func (p *Permit) Done(err error) {
	b := p.b
	if b == nil {
		return
	}
	// The closed-state success path: nothing to change unless failures
	// were being counted.
	if err == nil && b.loadWord() == p.word && p.word&(stateMask|flagRecord) == uint64(Closed) && b.consec.Load() == 0 {
		p.b = nil
		b.successes.add(unsafe.Pointer(p))
		return
	}
	p.done(err)
}

func (p *Permit) done(err error) {
	word, ctx, start, ok := p.call()
	o := Success
	if ok && err != nil {
		// The classifier may panic: p stays unreported until it returns,
		// so the deferred Release still counts a failure.
		o = p.b.classify(ctx, err)
	}
	p.report(o, word, start, ok)
}

// classify returns the outcome of a non-nil error. A failure while the
// caller's own context is canceled is the caller leaving, not the
// dependency failing; a deadline that ran out still counts as a failure.
func (b *Breaker) classify(ctx context.Context, err error) Outcome {
	o := b.cfg.classify(err)
	if o > Ignore {
		o = Failure // not an Outcome the breaker knows
	}
	if o == Failure && ctx != nil && errors.Is(ctx.Err(), context.Canceled) {
		o = Ignore
	}
	return o
}

// Release reports a failure if the result has not been reported with Done,
// as when the call panicked or called runtime.Goexit. Defer it right after
// Allow succeeds.
func (p *Permit) Release() {
	if p.b != nil {
		p.release()
	}
}

func (p *Permit) release() {
	word, _, start, ok := p.call()
	p.report(Failure, word, start, ok)
}

// report marks p reported and, unless it is a stale copy (ok false, or
// beaten to a timed call by another copy), counts outcome o of the call
// admitted under word at start.
func (p *Permit) report(o Outcome, word uint64, start int64, ok bool) {
	b, ctx := p.b, p.ctx
	p.b, p.ctx = nil, nil
	if ok && p.finish(ctx) {
		b.count(o)
		b.settle(word, o, start)
	}
}

func (b *Breaker) count(o Outcome) {
	switch o {
	case Success:
		b.successes.add(unsafe.Pointer(&o))
	case Failure:
		b.failures.Add(1)
	}
}

// settle applies the outcome of a call admitted under word at start.
func (b *Breaker) settle(word uint64, o Outcome, start int64) {
	s := stateOf(word)
	if o == Ignore && s == Closed {
		return
	}
	// Read the clock before taking the lock, so the outcome is dated when
	// it came, and only if the outcome needs it: to time the call, to date
	// it in an Over window, or to check a half-open circuit's probes are
	// not overdue.
	timed := word&flagTimed != 0 || s == Closed && b.win != nil && b.win.timed() ||
		s == HalfOpen && b.cfg.maxWait > 0
	var now int64
	slow := false
	if timed {
		now = b.since()
		if slow = o == Success && word&flagTimed != 0 && now-start > int64(b.cfg.slowLimit); slow {
			b.slow.Add(1)
		}
	}
	b.mu.Lock()
	if b.loadWord() != word {
		b.mu.Unlock()
		return // admitted in an older generation
	}
	var ev transition
	open := false
	switch s {
	case Closed:
		switch o {
		case Success:
			b.consec.Store(0)
		case Failure:
			n := b.consec.Add(1)
			open = b.cfg.threshold > 0 && n >= b.cfg.threshold
		}
		if b.win != nil {
			t := tally{calls: 1}
			if o == Failure {
				t.failures = 1
			} else if slow {
				t.slow = 1
			}
			b.win.record(now, t)
			open = open || b.cfg.trips(b.win.sum)
		}
	case HalfOpen:
		if at, overdue := b.overdueLocked(now); overdue {
			// The circuit should have reopened already; this late
			// result no longer counts.
			ev = b.setLocked(Open, at)
			break
		}
		b.inflight--
		b.waitFrom = max(b.waitFrom, now) // a result came: the wait starts again
		switch {
		case o == Ignore:
		case o == Success && !slow:
			if b.probeOK++; b.probeOK >= b.cfg.successes {
				ev = b.setLocked(Closed, 0)
			}
		default: // a failed or slow probe
			if o == Failure {
				b.consec.Add(1)
			}
			open = true
		}
	}
	if open {
		if !timed {
			now = b.since()
		}
		ev = b.setLocked(Open, now)
	}
	b.mu.Unlock()
	b.notify(ev)
}

// transition is a state change to report once the lock is released.
type transition struct {
	from, to State
	ok       bool
	origin   string // the replica it was adopted from (WithStore)
}

// setLocked moves to state to as a new generation; now is the time since
// base, used when opening. b.mu must be held.
func (b *Breaker) setLocked(to State, now int64) transition {
	w := b.loadWord()
	from := stateOf(w)
	b.inflight, b.probeOK = 0, 0
	switch to {
	case Closed:
		b.consec.Store(0)
		b.forced = false
		b.reopens, b.cooldown = 0, b.cfg.cooldown
		if b.win != nil {
			b.win.reset()
		}
	case Open:
		until := int64(forever)
		if !b.forced {
			if from == HalfOpen {
				b.reopens++
				b.cooldown = b.nextCooldown
			} else {
				b.cooldown = b.cfg.cooldownAt(0) // from closed, where reopens is 0
			}
			until = addSat(now, b.cooldown)
		}
		b.openUntil.Store(until)
	case HalfOpen:
		b.nextCooldown = b.cfg.cooldownAt(b.reopens + 1)
	}
	atomic.StoreUint64(&b.word, (w>>genShift+1)<<genShift|w&flagMask|uint64(to))
	origin := b.shareLocked(from, to) // publishes a local change, names a remote one
	if from == to {
		return transition{}
	}
	b.transitions++
	ev := transition{from: from, to: to, ok: true, origin: origin}
	if b.observed() {
		b.pending = append(b.pending, ev)
	}
	return ev
}

// notify delivers the state changes queued so far to the logger and the
// hook, in the order they happened, outside any lock. If another goroutine
// is delivering already (or a hook changed the state from inside), it
// delivers these too, after the ones before them, so the last change
// reported is always the latest.
func (b *Breaker) notify(ev transition) {
	if !ev.ok || !b.observed() {
		return
	}
	for {
		b.mu.Lock()
		if b.delivering || len(b.pending) == 0 {
			b.mu.Unlock()
			return
		}
		b.delivering = true
		batch := b.pending
		b.pending = nil
		b.mu.Unlock()
		b.deliver(batch)
	}
}

// deliver reports a batch of state changes; a panicking hook does not stop
// later deliveries.
func (b *Breaker) deliver(batch []transition) {
	defer func() {
		b.mu.Lock()
		b.delivering = false
		b.mu.Unlock()
	}()
	for _, ev := range batch {
		b.report(ev)
	}
}

// report runs the logger and the hook for one state change.
func (b *Breaker) report(ev transition) {
	if l := b.cfg.logger; l != nil {
		level := slog.LevelInfo
		if ev.to == Open {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("breaker", b.name),
			slog.String("from", ev.from.String()),
			slog.String("to", ev.to.String()),
		}
		if ev.origin != "" {
			attrs = append(attrs, slog.Bool("remote", true), slog.String("origin", ev.origin))
		}
		l.LogAttrs(context.Background(), level, "circuit breaker state change", attrs...)
	}
	if f := b.cfg.onChange; f != nil {
		f(b.name, ev.from, ev.to)
	}
	if f := b.cfg.shared.onTransition; f != nil {
		f(Transition{Name: b.name, From: ev.from, To: ev.to, Remote: ev.origin != "", Origin: ev.origin})
	}
}

// Reset closes the circuit and clears the consecutive-failure count. It ends
// a ForceOpen. Calls admitted before Reset no longer count.
func (b *Breaker) Reset() {
	b.mu.Lock()
	ev := b.setLocked(Closed, 0)
	b.mu.Unlock()
	b.notify(ev)
}

// ForceOpen opens the circuit and keeps it open until Reset, for an operator
// or a dependency that asked to be left alone (an HTTP 429, say). Rejections
// suggest retrying after one cooldown.
func (b *Breaker) ForceOpen() {
	b.mu.Lock()
	b.forced = true
	ev := b.setLocked(Open, 0)
	b.mu.Unlock()
	b.notify(ev)
}

// Do calls fn if b admits the call and reports its result. While the circuit
// is open it returns the zero T and a *CircuitBreakerError without calling
// fn. A panic in fn counts as a failure and propagates unchanged.
func Do[T any](b *Breaker, fn func() (T, error)) (T, error) {
	p, err := b.Allow()
	if err != nil {
		var zero T
		return zero, err
	}
	defer p.Release()
	v, err := fn()
	p.Done(err)
	return v, err
}
