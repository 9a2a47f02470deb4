package redisstore

import (
	"slices"
	"testing"
	"time"
)

// failoverTimes are measured from the kill of the master: when the last
// replica turned degraded, when the replica was promoted,
// and when the last replica shared again.
type failoverTimes struct {
	degraded, promoted, recovered time.Duration
	slowest                       time.Duration // the slowest call
}

// watchFailover makes calls that succeed on every replica, every
// millisecond, until every replica has been degraded and has recovered,
// and the replica has been promoted. Every call must reach the
// dependency: the breakers work locally.
func watchFailover(t testing.TB, f *fleet, promoted func() bool, killed time.Time) failoverTimes {
	t.Helper()
	var m failoverTimes
	// phase[i]: 0 before replica i turned degraded, 1 degraded, 2 recovered
	phase := make([]int, len(f.cbs))
	deadline := killed.Add(30 * time.Second)
	for slices.Min(phase) < 2 || m.promoted == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not within 30s of the kill: replicas' phases %v (1 degraded, 2 recovered), promoted after %v", phase, m.promoted)
		}
		if m.promoted == 0 && promoted() {
			m.promoted = time.Since(killed)
		}
		for i, cbs := range f.cbs {
			start := time.Now()
			if !call(t, cbs[0], false) {
				t.Fatalf("replica %d rejected a call during the failover", i)
			}
			m.slowest = max(m.slowest, time.Since(start))
			switch d := !cbs[0].Stats().DegradedSince.IsZero(); {
			case d && phase[i] != 1:
				phase[i] = 1
				m.degraded = max(m.degraded, time.Since(killed))
			case !d && phase[i] == 1:
				phase[i] = 2
				m.recovered = max(m.recovered, time.Since(killed))
			}
		}
		time.Sleep(time.Millisecond)
	}
	return m
}

// check fails the test if a call waited for Redis, if a replica turned
// degraded more than 1s after the kill (a killed master closes the
// subscriptions at once), or if sharing resumed before the promotion or
// more than within after it (the replicas try again with backoff, at
// most 5s apart).
func (m failoverTimes) check(t testing.TB, within time.Duration) {
	t.Helper()
	if m.slowest > 100*time.Millisecond {
		t.Errorf("the slowest call took %v: a call waited for Redis", m.slowest)
	}
	if m.degraded > time.Second {
		t.Errorf("the last replica turned degraded %v after the kill, want within 1s", m.degraded)
	}
	if m.recovered < m.promoted || m.recovered > m.promoted+within {
		t.Errorf("every replica shared again %v after the kill, want between the promotion (%v) and %v after it", m.recovered, m.promoted, within)
	}
}
