package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// withRandom sets the source of WithBackoff's jitter, so that a test can
// draw the same values as its model.
func withRandom(f func() float64) Option { return func(c *config) { c.random = f } }

// jitterDraws is the fixed sequence the breaker and the model draw their
// jitter from, round and round. The values are dyadic so that every
// jittered cooldown is computed exactly, whatever the order of operations.
var jitterDraws = []float64{0.5, 0, 0.75, 1.0 / 1024, 1 - 1.0/1024, 0.25, 0.625}

// drawSeq hands out jitterDraws in order and counts the draws.
type drawSeq struct{ n int }

func (d *drawSeq) next() float64 {
	u := jitterDraws[d.n%len(jitterDraws)]
	d.n++
	return u
}

// The low bits of FuzzModel's policy switch the policies on; the bits from
// polParams up pick their parameters (see modelConfigOf).
const (
	polDefaults = 1 << iota // New's defaults: no WithFailureThreshold, WithHalfOpenProbes or WithCooldown
	polRate                 // WithFailureRate
	polOver                 // the rate's window is Over, not LastN
	polConsec               // with polRate and without polDefaults: WithFailureThreshold too
	polSlow                 // WithSlowCalls (it turns polRate on)
	polBackoff              // WithBackoff
	polMaxWait              // WithHalfOpenMaxWait
	polSuccess              // WithHalfOpenProbes's successes
	polParams   = iota

	polPolicies = polRate | polSlow | polBackoff | polMaxWait | polSuccess
)

// modelConfig is the configuration as the model sees it.
type modelConfig struct {
	threshold int // consecutive failures that open the circuit; 0: the rule is off
	cooldown  time.Duration
	probes    int
	successes int // probe successes that close the circuit

	rate     float64 // WithFailureRate's threshold; 0: off
	lastN    int     // the window: the last lastN outcomes, or
	span     time.Duration
	buckets  int // Over(span, buckets)
	minCalls int

	slowLimit time.Duration
	slowRate  float64 // 0: off

	multiplier  float64 // WithBackoff; 0: off
	maxCooldown time.Duration
	jitter      float64

	maxWait time.Duration // 0: off
}

// modelConfigOf derives a configuration from the fuzz inputs, and the
// options that give it to a breaker. With policy 0 it is the configuration
// of the first version of this test: threshold%4+1 consecutive failures,
// probes%3+1 probes and a cooldown of 10s.
func modelConfigOf(threshold, probes uint8, policy uint32) (c modelConfig, opts []Option) {
	p := policy >> polParams
	pick := func() int { v := int(p & 3); p >>= 2; return v }
	cooldown := []time.Duration{10 * time.Second, 4 * time.Second, 2500*time.Millisecond + 1, 30 * time.Second}[pick()]
	rate := []float64{0.5, 0.3, 0.25, 1}[pick()]
	minCalls := pick() + 1
	size := pick()
	span := []time.Duration{10 * time.Second, 4 * time.Second, 12 * time.Second, 30 * time.Second}[pick()]
	slowLimit := []time.Duration{2 * time.Second, time.Second, 3 * time.Second, 500 * time.Millisecond}[pick()]
	slowRate := []float64{0.5, 0.25, 1, 0.3}[pick()]
	multiplier := []float64{2, 1, 1.5, 3}[pick()]
	maxFactor := []time.Duration{4, 1, 2, 8}[pick()]
	jitter := []float64{0.5, 0, 0.25, 0.75}[pick()]
	maxWait := []time.Duration{3 * time.Second, time.Second, 5 * time.Second, 12 * time.Second}[pick()]
	successes := []int{2, 1, 3, 5}[pick()]

	on := func(bit uint32) bool { return policy&bit != 0 }
	c.threshold, c.probes, c.cooldown = defaultFailureThreshold, 1, defaultCooldown
	if !on(polDefaults) {
		c.threshold, c.probes, c.cooldown = int(threshold%4)+1, int(probes%3)+1, cooldown
		opts = append(opts, WithHalfOpenProbes(c.probes, c.probes), WithCooldown(c.cooldown))
		if !on(polRate|polSlow) || on(polConsec) {
			opts = append(opts, WithFailureThreshold(c.threshold))
		}
	}
	if on(polRate | polSlow) {
		if on(polDefaults) || !on(polConsec) {
			c.threshold = 0
		}
		c.rate, c.minCalls = rate, minCalls
		c.lastN = minCalls + []int{0, 1, 3, 6}[size]
		w := LastN(c.lastN)
		if on(polOver) {
			c.lastN, c.span, c.buckets = 0, span, size+1
			w = Over(span, size+1)
		}
		opts = append(opts, WithFailureRate(rate, w, minCalls))
	}
	if on(polSlow) {
		c.slowLimit, c.slowRate = slowLimit, slowRate
		opts = append(opts, WithSlowCalls(slowLimit, slowRate))
	}
	if on(polBackoff) {
		c.multiplier, c.maxCooldown, c.jitter = multiplier, c.cooldown*maxFactor, jitter
		opts = append(opts, WithBackoff(multiplier, c.maxCooldown, jitter))
	}
	if on(polMaxWait) {
		c.maxWait = maxWait
		opts = append(opts, WithHalfOpenMaxWait(maxWait))
	}
	c.successes = c.probes
	if on(polSuccess) {
		c.successes = successes
		opts = append(opts, withSuccesses(successes))
	}
	return c, opts
}

// modelRecord is one outcome in the rate's window.
type modelRecord struct {
	at           time.Duration // when it was reported
	failed, slow bool
}

// model is a sequential reference of the state machine, written as plainly
// as possible, against which the Breaker is checked step by step. Its time
// is the time since the breaker was created.
type model struct {
	cfg  modelConfig
	rand drawSeq // the jitter, drawn as the breaker should draw it

	now      time.Duration
	state    State
	gen      int
	consec   int
	forced   bool
	openedAt time.Duration
	cooldown time.Duration // of the latest opening (not counting ForceOpen)
	// reopens counts the reopenings from half-open since the circuit last
	// closed; nextCooldown is the cooldown the next one gets, drawn when
	// the circuit entered half-open.
	reopens      int
	nextCooldown time.Duration
	waitFrom     time.Duration // when the half-open circuit began waiting for a probe result
	inflight     int           // probes of this half-open generation yet to report
	probeOK      int
	records      []modelRecord // the outcomes recorded since the circuit last closed

	successes, failures, rejected, slow, transitions, ignored uint64
	pairs                                                     transitionCounts

	events map[string]int // what happened, to check the random runs cover it
}

func newModel(cfg modelConfig) *model {
	return &model{cfg: cfg, cooldown: cfg.cooldown, events: map[string]int{}}
}

func (m *model) event(name string) { m.events[name]++ }

// cooldownAfter returns the cooldown of an opening after k reopenings in a
// row from half-open.
func (m *model) cooldownAfter(k int) time.Duration {
	if m.cfg.multiplier == 0 {
		return m.cfg.cooldown
	}
	d := float64(m.cfg.cooldown)
	for range k {
		d *= m.cfg.multiplier
	}
	if d > float64(m.cfg.maxCooldown) {
		d = float64(m.cfg.maxCooldown)
	}
	if m.cfg.jitter > 0 {
		u := m.rand.next()
		d *= 1 + m.cfg.jitter*(2*u-1)
		m.event("jitter drawn")
	}
	return time.Duration(d)
}

// set moves to state to, dated at (which matters when opening).
func (m *model) set(to State, at time.Duration) {
	from := m.state
	m.state, m.gen = to, m.gen+1
	m.inflight, m.probeOK = 0, 0
	if from != to {
		m.transitions++
		m.pairs.add(from, to)
	}
	switch to {
	case Closed:
		m.consec, m.forced = 0, false
		m.reopens, m.cooldown = 0, m.cfg.cooldown
		m.records = nil
	case Open:
		switch {
		case m.forced:
			// no cooldown: open until Reset
		case from == HalfOpen:
			m.reopens++
			m.cooldown, m.openedAt = m.nextCooldown, at
			if m.reopens >= 2 && m.cfg.multiplier > 1 {
				m.event("backoff: second reopening in a row")
			}
		default:
			m.reopens = 0
			m.cooldown, m.openedAt = m.cooldownAfter(0), at
		}
	case HalfOpen:
		m.nextCooldown = m.cooldownAfter(m.reopens + 1)
	}
}

// overdue reports whether the half-open circuit has reopened because it
// waited the max wait for a probe result, and when.
func (m *model) overdue() (at time.Duration, ok bool) {
	at = m.waitFrom + m.cfg.maxWait
	return at, m.state == HalfOpen && m.cfg.maxWait > 0 && m.inflight > 0 && m.now >= at
}

// view returns the state as State and Stats report it, with Stats's
// RetryAfter and Cooldown: the ends of a cooldown and of a max wait take
// effect without a call.
func (m *model) view() (s State, retry, cooldown time.Duration) {
	s, until, cooldown := m.state, m.openedAt+m.cooldown, m.cooldown
	if at, ok := m.overdue(); ok {
		// It reopened at at, with the cooldown drawn on entering half-open.
		s, until, cooldown = Open, at+m.nextCooldown, m.nextCooldown
	}
	switch {
	case s != Open:
		return s, 0, cooldown
	case m.forced:
		return Open, m.cfg.cooldown, cooldown
	case m.now >= until:
		return HalfOpen, 0, cooldown
	}
	return Open, until - m.now, cooldown
}

// windowed returns the outcomes in the rate's window now.
func (m *model) windowed() (calls, failures, slow int) {
	recs := m.records
	if m.cfg.lastN > 0 && len(recs) > m.cfg.lastN {
		recs = recs[len(recs)-m.cfg.lastN:]
	}
	for _, r := range recs {
		if m.cfg.buckets > 0 {
			width := m.cfg.span / time.Duration(m.cfg.buckets)
			if m.now/width-r.at/width >= time.Duration(m.cfg.buckets) {
				continue
			}
		}
		calls++
		if r.failed {
			failures++
		}
		if r.slow {
			slow++
		}
	}
	return calls, failures, slow
}

// roundUp rounds a rejection's RetryAfter up to the millisecond.
func roundUp(d time.Duration) time.Duration {
	return (d + time.Millisecond - 1) / time.Millisecond * time.Millisecond
}

// allow admits a call (and returns true) or returns the rejection.
func (m *model) allow() (ok bool, rejected State, retry time.Duration) {
	if at, overdue := m.overdue(); overdue {
		m.set(Open, at)
		m.event("max wait: reopened by Allow")
	}
	if m.state == Open && !m.forced && m.now >= m.openedAt+m.cooldown {
		m.set(HalfOpen, m.now)
	}
	switch m.state {
	case Open:
		m.rejected++
		if m.forced {
			m.event("rejected: forced open")
			return false, Open, roundUp(m.cfg.cooldown)
		}
		m.event("rejected: open")
		return false, Open, roundUp(m.openedAt + m.cooldown - m.now)
	case HalfOpen:
		if !(m.inflight < m.cfg.probes && m.inflight+m.probeOK < max(m.cfg.probes, m.cfg.successes)) {
			m.rejected++
			m.event("rejected: half-open")
			return false, HalfOpen, roundUp(m.cooldown)
		}
		if m.probeOK > 0 {
			m.event("half-open: probe of a later wave")
		}
		if m.inflight == 0 {
			m.waitFrom = m.now
		}
		m.inflight++
	}
	return true, 0, 0
}

// done reports the outcome of a call admitted in generation gen at start.
func (m *model) done(gen int, start time.Duration, o Outcome) {
	slow := o == Success && m.cfg.slowRate > 0 && m.now-start > m.cfg.slowLimit
	switch o {
	case Success:
		m.successes++
		if slow {
			m.slow++
		}
	case Failure:
		m.failures++
	case Ignore:
		m.ignored++
	}
	if gen != m.gen {
		return
	}
	switch m.state {
	case Closed:
		if o == Ignore {
			return
		}
		consecTrips := false
		if o == Success {
			m.consec = 0
		} else {
			m.consec++
			consecTrips = m.cfg.threshold > 0 && m.consec >= m.cfg.threshold
		}
		rateTrips := false
		if m.cfg.rate > 0 {
			m.records = append(m.records, modelRecord{m.now, o == Failure, slow})
			calls, failures, slows := m.windowed()
			if calls >= m.cfg.minCalls {
				failTrips := float64(failures)/float64(calls) >= m.cfg.rate
				slowTrips := m.cfg.slowRate > 0 && float64(slows)/float64(calls) >= m.cfg.slowRate
				rateTrips = failTrips || slowTrips
				if slowTrips && !failTrips {
					m.event("opened: slow calls")
				}
				if rateTrips && !consecTrips {
					m.event("opened: failure rate")
				}
				if rateTrips && o == Success {
					m.event("opened: on a success")
				}
			}
			if calls < len(m.records) && rateTrips {
				m.event("opened: some outcomes out of the window")
			}
		}
		if consecTrips || rateTrips {
			m.set(Open, m.now)
		}
	case HalfOpen:
		if at, overdue := m.overdue(); overdue {
			m.set(Open, at) // the late result is dropped
			m.event("max wait: reopened by a late report")
			return
		}
		m.inflight--
		m.waitFrom = m.now
		switch {
		case o == Ignore:
		case o == Success && !slow:
			if m.probeOK++; m.probeOK >= m.cfg.successes {
				if m.cfg.successes > m.cfg.probes {
					m.event("closed: after waves of probes")
				}
				m.set(Closed, m.now)
			}
		default:
			if o == Failure {
				m.consec++
			} else {
				m.event("reopened: slow probe")
			}
			m.set(Open, m.now)
		}
	}
}

// checkAgainstModel drives a Breaker and the model with the operations
// encoded in ops and fails at the first difference, showing the steps that
// led to it. It returns what happened in the model.
func checkAgainstModel(t *testing.T, threshold, probes uint8, policy uint32, ops []byte) map[string]int {
	t.Helper()
	events, _, failure := runModel(threshold, probes, policy, ops, false, nil)
	if failure != "" {
		var trace []string
		runModel(threshold, probes, policy, ops, false, &trace)
		t.Fatalf("checkAgainstModel(%d, %d, %#x, %#v):\n%s\n%s",
			threshold, probes, policy, ops, strings.Join(trace, "\n"), failure)
	}
	return events
}

// runModel drives a Breaker and the model with the operations encoded in
// ops until they differ, and returns what happened in the model, the
// breaker's state changes as WithOnTransition saw them, and the
// difference. With shadow the breaker runs WithShadow: it must admit every
// call, count the model's rejections as shadow rejections, and ignore the
// results of the calls it would have rejected. If trace is not nil, it
// appends the model's state after each operation to it.
func runModel(threshold, probes uint8, policy uint32, ops []byte, shadow bool, trace *[]string) (events map[string]int, changes []string, failure string) {
	cfg, opts := modelConfigOf(threshold, probes, policy)
	m := newModel(cfg)
	if trace != nil {
		*trace = append(*trace, fmt.Sprintf("config %+v", cfg))
	}
	if policy&polPolicies == 0 {
		if policy&polDefaults != 0 {
			m.event("config: New's defaults")
		} else {
			m.event("config: no new policy")
		}
	}
	clk := newFakeClock()
	var draws drawSeq
	opts = append(opts, withClock(clk.Now), withRandom(draws.next),
		WithOnTransition(func(t Transition) { from, to := t.From, t.To; changes = append(changes, from.String()+">"+to.String()) }))
	if shadow {
		opts = append(opts, WithShadow())
	}
	cb := New("model", opts...)
	type held struct {
		p     *Permit
		gen   int
		start time.Duration
	}
	var permits []held
	advance := func(d time.Duration) {
		clk.Advance(d)
		m.now += d
	}
	// report reports the kth held call's outcome; a failure by Release if
	// release is set.
	report := func(k int, o Outcome, release bool) {
		switch {
		case o == Success:
			permits[k].p.Done(nil)
		case o == Failure && release:
			permits[k].p.Release()
		case o == Failure:
			permits[k].p.Done(errBoom)
		case o == Ignore:
			permits[k].p.Done(errCanceled)
		}
		m.done(permits[k].gen, permits[k].start, o)
		permits = slices.Delete(permits, k, k+1)
	}
	for i, op := range ops {
		arg := int(op >> 3)
		switch op & 7 {
		case 0, 1: // allow
			p, err := allowHeld(cb)
			ok, rejected, retry := m.allow()
			if ok {
				if err != nil {
					return m.events, changes, fmt.Sprintf("op %d (%#x) at %v: allow: %v, model admits", i, op, m.now, err)
				}
				permits = append(permits, held{p, m.gen, m.now})
				break
			}
			if shadow {
				if err != nil || *p != (Permit{}) {
					return m.events, changes, fmt.Sprintf("op %d (%#x) at %v: allow in shadow: %+v, %v; want the zero Permit, nil (the model rejects)", i, op, m.now, p, err)
				}
				// The call is made; its result, whatever it is, must not count.
				if arg%2 == 0 {
					p.Done(nil)
				} else {
					p.Done(errBoom)
				}
				p.Release()
				break
			}
			var cbe *CircuitBreakerError
			if !errors.As(err, &cbe) || cbe.state != rejected || cbe.RetryAfter() != retry {
				return m.events, changes, fmt.Sprintf("op %d (%#x) at %v: allow: %v, model rejects as %v with retry %v",
					i, op, m.now, err, rejected, retry)
			}
		case 2, 3: // a held call succeeds
			if len(permits) > 0 {
				report(arg%len(permits), Success, false)
			}
		case 4: // a held call fails: Done with an error, or Release as after a panic
			if len(permits) > 0 {
				report(arg%len(permits), Failure, arg%2 == 1)
			}
		case 5: // time passes
			if arg < 24 {
				advance(time.Duration(arg%12) * time.Second)
			} else {
				advance(time.Duration(arg-23) * 15 * time.Second)
			}
		case 6:
			switch {
			case arg%8 == 0:
				cb.Reset()
				m.set(Closed, m.now)
			case arg == 1: // rarer: a forced circuit stays open until Reset
				cb.ForceOpen()
				m.forced = true
				m.set(Open, m.now)
			case arg%4 == 3: // a held call's caller leaves
				if len(permits) > 0 {
					report(arg%len(permits), Ignore, false)
				}
			default: // a little time passes
				advance(time.Duration(arg) * 100 * time.Millisecond)
			}
		case 7: // a held call succeeds, or panics
			if len(permits) > 0 {
				report(arg%len(permits), Outcome(arg%2), true)
			}
		}
		if trace != nil {
			*trace = append(*trace, fmt.Sprintf("after op %d (%#x) at %v: %v gen %d, consec %d, %d in flight, %d ok, opened at %v for %v, next %v, waiting since %v, %d reopens, %d records",
				i, op, m.now, m.state, m.gen, m.consec, m.inflight, m.probeOK, m.openedAt, m.cooldown, m.nextCooldown, m.waitFrom, m.reopens, len(m.records)))
		}
		if diff := compareWithModel(cb, m, &draws, shadow); diff != "" {
			return m.events, changes, fmt.Sprintf("op %d (%#x) at %v: %s", i, op, m.now, diff)
		}
	}
	return m.events, changes, ""
}

// checkSame adds to diffs if got is not want.
func checkSame[T comparable](diffs *[]string, what string, got, want T) {
	if got != want {
		*diffs = append(*diffs, fmt.Sprintf("%s %v, model %v", what, got, want))
	}
}

// compareWithModel returns how the breaker differs from the model, or "".
func compareWithModel(cb *Breaker, m *model, draws *drawSeq, shadow bool) string {
	var diffs []string
	state, retry, cooldown := m.view()
	if _, ok := m.overdue(); ok {
		m.event("max wait: reopening seen before a call")
	}
	s := cb.Stats()
	checkSame(&diffs, "State()", cb.Stats().State, state)
	checkSame(&diffs, "Stats.State", s.State, state)
	checkSame(&diffs, "Stats.RetryAfter", s.RetryAfter, retry)
	checkSame(&diffs, "Stats.Cooldown", s.Cooldown, cooldown)
	checkSame(&diffs, "Stats.ConsecutiveFailures", s.ConsecutiveFailures, m.consec)
	checkSame(&diffs, "Config.FailureThreshold", cb.Config().FailureThreshold, m.cfg.threshold)
	var calls, failures, slows int
	if m.cfg.rate > 0 {
		calls, failures, slows = m.windowed()
		if calls < len(m.records) {
			m.event("window: outcomes aged or pushed out")
		}
	}
	checkSame(&diffs, "Stats.WindowCalls", s.WindowCalls, calls)
	var failureRate, slowRate float64
	if calls > 0 {
		failureRate, slowRate = float64(failures)/float64(calls), float64(slows)/float64(calls)
	}
	checkSame(&diffs, "Stats.FailureRate", s.FailureRate, failureRate)
	checkSame(&diffs, "Stats.SlowRate", s.SlowRate, slowRate)
	checkSame(&diffs, "Stats.Totals[Success]", s.Totals[Success], m.successes)
	checkSame(&diffs, "Stats.Totals[Failure]", s.Totals[Failure], m.failures)
	checkSame(&diffs, "Stats.TotalRejected", s.TotalRejected, m.rejected)
	checkSame(&diffs, "Config.Shadow", cb.Config().Shadow, shadow)
	checkSame(&diffs, "Stats.Totals[Ignore]", s.Totals[Ignore], m.ignored)
	checkSame(&diffs, "Stats.TransitionCounts", s.TransitionCounts, [numStates][numStates]uint64(m.pairs))
	checkSame(&diffs, "Stats.TotalSlow", s.TotalSlow, m.slow)
	checkSame(&diffs, "Stats.Transitions", s.transitions(), m.transitions)
	checkSame(&diffs, "jitter draws", draws.n, m.rand.n)
	return strings.Join(diffs, "; ")
}

var errCanceled = fmt.Errorf("caller left: %w", context.Canceled)

// randomOps returns n random operations.
func randomOps(rng *rand.Rand, n int) []byte {
	ops := make([]byte, n)
	for i := range ops {
		ops[i] = byte(rng.IntN(256))
	}
	return ops
}

func FuzzModel(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint32(0), []byte{})
	f.Add(uint8(4), uint8(0), uint32(0), []byte{0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 0x55, 0, 2, 0, 0})
	f.Add(uint8(1), uint8(2), uint32(0), []byte{0, 0, 4, 4, 0x55, 0, 0, 0, 0, 0x1e, 0, 2, 2, 2, 0, 6, 0, 14, 0x55, 0})
	f.Add(uint8(0), uint8(1), uint32(0), []byte{0, 0, 0xc, 0xc, 0x5d, 0, 0, 0, 0xc, 4, 0x5d, 0, 0, 2, 2})
	// Each policy alone, then all of them, with random parameters.
	rng := rand.New(rand.NewPCG(3, 4))
	for _, pol := range []uint32{polDefaults, polRate, polRate | polOver, polRate | polConsec, polSlow,
		polSlow | polOver, polBackoff, polMaxWait, polSuccess, polPolicies | polOver | polConsec} {
		f.Add(uint8(rng.IntN(4)), uint8(rng.IntN(3)), pol|rng.Uint32()<<polParams, randomOps(rng, 100))
	}
	f.Fuzz(func(t *testing.T, threshold, probes uint8, policy uint32, ops []byte) {
		checkAgainstModel(t, threshold, probes, policy, ops)
	})
}

func TestModelRandom(t *testing.T) {
	trials := 2000
	if testing.Short() {
		trials = 300
	}
	rng := rand.New(rand.NewPCG(1, 2))
	policies := []uint32{polRate, polSlow, polBackoff, polMaxWait, polSuccess}
	seen := map[string]int{}
	for range trials {
		policy := rng.Uint32()
		switch rng.IntN(4) {
		case 0: // none of the new policies
			policy &^= polPolicies
		case 1: // one alone
			policy = policy&^polPolicies | policies[rng.IntN(len(policies))]
		}
		for k, n := range checkAgainstModel(t, uint8(rng.IntN(4)), uint8(rng.IntN(3)), policy, randomOps(rng, 200)) {
			seen[k] += n
		}
	}
	for _, e := range []string{
		"config: New's defaults", "config: no new policy",
		"opened: failure rate", "opened: slow calls", "opened: on a success",
		"opened: some outcomes out of the window", "window: outcomes aged or pushed out",
		"reopened: slow probe", "backoff: second reopening in a row", "jitter drawn",
		"max wait: reopened by Allow", "max wait: reopened by a late report", "max wait: reopening seen before a call",
		"half-open: probe of a later wave", "closed: after waves of probes",
		"rejected: open", "rejected: forced open", "rejected: half-open",
	} {
		if seen[e] == 0 {
			t.Errorf("no run covered %q", e)
		}
	}
	if testing.Verbose() {
		t.Log(seen)
	}
}
