package runtime

import (
	"log/slog"
	"time"
)

// Stats is a snapshot of a breaker's state and counters. Counters cover the
// breaker's whole life; they survive state changes and Reset. State,
// ConsecutiveFailures, the window and TransitionCounts are read together; the
// totals are read without stopping calls in flight.
//
// The totals say what the dependency did: they count the outcome of every
// admitted call once, including the outcomes that came too late to change
// the state (from a call admitted before a state change, or a probe that
// overran WithHalfOpenMaxWait). An outcome of Ignore counts in none of
// them.
type Stats struct {
	Name                string
	State               State
	ConsecutiveFailures int
	// Cooldown is the cooldown of the latest opening, which WithBackoff
	// lengthens; WithCooldown's if the circuit has not opened since it
	// last closed. ForceOpen does not change it.
	Cooldown time.Duration
	// RetryAfter is the time until an open circuit admits a probe; zero
	// unless State is Open. A circuit forced open (ForceOpen) has no such
	// time: RetryAfter is then WithCooldown's cooldown, the suggestion its
	// rejections carry too.
	RetryAfter time.Duration
	// WindowCalls is the number of successes and failures in the window of
	// WithFailureRate; FailureRate and SlowRate are the shares of them
	// that failed and that succeeded slowly (WithSlowCalls). All are zero
	// without WithFailureRate or while the window is empty.
	WindowCalls    int
	FailureRate    float64
	SlowRate       float64
	TotalSuccesses uint64
	TotalFailures  uint64
	TotalRejected  uint64
	// TotalSlow counts the successes slower than WithSlowCalls's limit;
	// they are in TotalSuccesses too.
	TotalSlow uint64

	// TransitionCounts counts state changes by their states:
	// TransitionCounts[from][to], indexed by State (Closed, Open,
	// HalfOpen); the diagonal is zero.
	TransitionCounts [3][3]uint64
	// TotalIgnored counts the calls whose error the classifier (or a
	// canceled caller) made Ignore.
	TotalIgnored uint64
	// TotalShadowRejected counts the calls a breaker in shadow mode
	// (WithShadow) would have rejected; it rejects none, so its
	// TotalRejected stays zero.
	TotalShadowRejected uint64
	// DegradedSince is when the Store of runtime/shared started failing
	// for this breaker, while it fails and the breaker works locally; zero
	// otherwise. It fails for every breaker while its subscription is down
	// or no key answers, and for a breaker alone while its key does not
	// answer and others do (a Redis Cluster master that is down).
	DegradedSince time.Time
	// Created is when New made the breaker, on its clock (WithClock's if
	// given): the start of every counter above. A Set's breaker is made by
	// the first Get of its key, and again after Remove or eviction.
	Created time.Time
	// Forced is set while ForceOpen holds the circuit open; State is then
	// Open.
	Forced bool
	// ProbesInFlight is the number of probes a half-open circuit has let
	// through that have not reported yet; zero in the other states.
	ProbesInFlight int
}

// Stats returns a snapshot of b's state and counters.
func (b *Breaker) Stats() Stats {
	now := b.since()
	s := Stats{Name: b.name, Created: b.cfg.base.Add(time.Duration(b.created))}
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
	s.TotalSuccesses = b.successes.load()
	s.TotalFailures = b.failures.Load()
	s.TotalRejected = b.rejected.load()
	s.TotalSlow = b.slow.Load()
	s.TotalIgnored = b.ignored.Load()
	if b.cfg.shadow {
		s.TotalShadowRejected, s.TotalRejected = s.TotalRejected, 0
	}
	b.pluggedStats(&s)
	return s
}

// LogValue makes Stats log as a group:
//
//	logger.Info("shutdown", "breaker", cb.Stats())
func (s Stats) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("name", s.Name),
		slog.String("state", s.State.String()),
		slog.Int("consecutive_failures", s.ConsecutiveFailures),
		slog.Duration("cooldown", s.Cooldown),
	}
	if s.State == Open {
		attrs = append(attrs, slog.Duration("retry_after", s.RetryAfter))
	}
	if s.WindowCalls > 0 {
		attrs = append(attrs,
			slog.Int("window_calls", s.WindowCalls),
			slog.Float64("failure_rate", s.FailureRate),
			slog.Float64("slow_rate", s.SlowRate))
	}
	attrs = append(attrs,
		slog.Uint64("total_successes", s.TotalSuccesses),
		slog.Uint64("total_failures", s.TotalFailures),
		slog.Uint64("total_rejected", s.TotalRejected),
	)
	if s.TotalSlow > 0 {
		attrs = append(attrs, slog.Uint64("total_slow", s.TotalSlow))
	}
	if s.TotalIgnored > 0 {
		attrs = append(attrs, slog.Uint64("total_ignored", s.TotalIgnored))
	}
	if s.TotalShadowRejected > 0 {
		attrs = append(attrs, slog.Uint64("total_shadow_rejected", s.TotalShadowRejected))
	}
	attrs = append(attrs, slog.Uint64("transitions", s.transitions()))
	if !s.DegradedSince.IsZero() {
		attrs = append(attrs, slog.Time("degraded_since", s.DegradedSince))
	}
	return slog.GroupValue(attrs...)
}

// transitions returns the number of state changes.
func (s *Stats) transitions() uint64 {
	var n uint64
	for _, row := range s.TransitionCounts {
		for _, c := range row {
			n += c
		}
	}
	return n
}
