package runtime

import "time"

// Stats is a snapshot of a breaker's state and counters. The counters
// cover the breaker's whole life, through state changes and Reset, and
// count every admitted call once, even one whose result came too late to
// change the state.
type Stats struct {
	State               State
	ConsecutiveFailures int
	// Cooldown is the latest opening's cooldown, as WithBackoff
	// lengthened it; RetryAfter is the time until an open circuit admits
	// a probe (one cooldown if it was forced open), zero in other states.
	Cooldown   time.Duration
	RetryAfter time.Duration
	// WindowCalls is the number of outcomes in the window of
	// WithFailureRate; FailureRate and SlowRate are the shares of them
	// that failed and that succeeded slowly.
	WindowCalls int
	FailureRate float64
	SlowRate    float64
	// Totals counts the admitted calls by Outcome; TotalRejected the
	// rejected ones (in shadow mode, those it would have rejected); and
	// TotalSlow the successes slower than WithSlowCalls's limit.
	Totals        [3]uint64
	TotalRejected uint64
	TotalSlow     uint64
	// TransitionCounts[from][to] counts the state changes.
	TransitionCounts [3][3]uint64
	// DegradedSince is when runtime/shared's Store started failing for
	// this breaker, which then works locally; zero while it works.
	DegradedSince time.Time
	// Created is when the breaker was made, on its clock.
	Created time.Time
	// Forced is set while ForceOpen holds the circuit open.
	Forced bool
	// ProbesInFlight is the number of probes out in the half-open state.
	ProbesInFlight int
}

// Stats returns a snapshot of b's state and counters.
func (b *Breaker) Stats() Stats {
	now := b.since()
	s := Stats{Created: b.cfg.base.Add(time.Duration(b.created))}
	b.mu.Lock()
	s.State, s.RetryAfter = b.effectiveLocked(now)
	s.Forced = b.forced && s.State == Open
	if s.State == HalfOpen {
		s.ProbesInFlight = int(b.inflight)
	}
	s.ConsecutiveFailures = int(b.consec)
	s.Cooldown = b.cooldown
	if _, overdue := b.overdueLocked(now); overdue {
		s.Cooldown = b.nextCooldown // of the reopening no call has applied yet
	}
	if b.hist != nil {
		s.TransitionCounts = b.hist.pairs
	}
	if b.win != nil {
		t := b.win.current(now)
		if s.WindowCalls = t.calls; t.calls > 0 {
			s.FailureRate = float64(t.failures) / float64(t.calls)
			s.SlowRate = float64(t.slow) / float64(t.calls)
		}
	}
	b.mu.Unlock()
	s.Totals[Success], s.Totals[Failure], s.Totals[Ignore] = b.successes.load(), b.failures.Load(), b.ignored.Load()
	s.TotalRejected = b.rejected.load()
	s.TotalSlow = b.slow.Load()
	b.pluggedStats(&s)
	return s
}
