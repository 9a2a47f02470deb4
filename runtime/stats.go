package runtime

import (
	"log/slog"
	"time"
)

// Stats is a snapshot of a breaker's state and counters. Counters cover the
// breaker's whole life; they survive state changes and Reset. State,
// ConsecutiveFailures and Transitions are read together; the totals are
// read without stopping calls in flight.
type Stats struct {
	Name                string
	State               State
	ConsecutiveFailures int
	FailureThreshold    int
	Cooldown            time.Duration
	// RetryAfter is the time until an open circuit admits a probe; zero
	// unless State is Open.
	RetryAfter     time.Duration
	TotalSuccesses uint64
	TotalFailures  uint64
	TotalRejected  uint64
	// Transitions counts state changes.
	Transitions uint64
}

// Stats returns a snapshot of b's state and counters.
func (b *Breaker) Stats() Stats {
	b.mu.Lock()
	w := b.loadWord()
	transitions := b.transitions
	until := b.openUntil.Load()
	forced := b.forced
	consec := b.consec.Load()
	b.mu.Unlock()
	s := Stats{
		Name:                b.name,
		State:               stateOf(w),
		ConsecutiveFailures: int(consec),
		FailureThreshold:    int(b.cfg.threshold),
		Cooldown:            b.cfg.cooldown,
		TotalSuccesses:      b.successes.load(),
		TotalFailures:       b.failures.Load(),
		TotalRejected:       b.rejected.Load(),
		Transitions:         transitions,
	}
	if s.State == Open {
		switch now := b.since(); {
		case forced:
			s.RetryAfter = b.cfg.cooldown
		case now >= until:
			s.State = HalfOpen
		default:
			s.RetryAfter = time.Duration(until - now)
		}
	}
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
		slog.Int("failure_threshold", s.FailureThreshold),
		slog.Duration("cooldown", s.Cooldown),
	}
	if s.State == Open {
		attrs = append(attrs, slog.Duration("retry_after", s.RetryAfter))
	}
	attrs = append(attrs,
		slog.Uint64("total_successes", s.TotalSuccesses),
		slog.Uint64("total_failures", s.TotalFailures),
		slog.Uint64("total_rejected", s.TotalRejected),
		slog.Uint64("transitions", s.Transitions),
	)
	return slog.GroupValue(attrs...)
}
