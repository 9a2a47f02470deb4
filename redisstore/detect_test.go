package redisstore

import (
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// The detection and recovery times the README states, with the default
// Options and breakers that get no calls: degraded at once when Redis
// goes away, within PingEvery and the PING's answer time (1.5s) when it
// stops answering; sharing again within the outage's length (the retries
// back off from 50ms, doubling, to 5s), and 5s at most, once it answers.
func TestDetectionAndRecoveryTimes(t *testing.T) {
	srv := startRedis(t)
	var cbs []*runtime.Breaker
	for i := range 2 {
		s, err := New(newClient(t, srv.addr()), Options{Prefix: testPrefix, Replica: "r" + string(rune('0'+i))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		cbs = append(cbs, runtime.New("agent", shared.WithStore(s), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute)))
	}
	waitSubscribed(t, srv.addr(), 2)
	degraded := func(want bool) bool {
		for _, cb := range cbs {
			if cb.Stats().DegradedSince.IsZero() == want {
				return false
			}
		}
		return true
	}
	// within waits until every breaker is degraded (or not), failing the
	// test after limit, and returns how long it took.
	within := func(what string, want bool, limit time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		eventually(t, limit, what, func() bool { return degraded(want) })
		d := time.Since(start)
		t.Logf("%s: %v", what, d.Round(time.Millisecond))
		return d
	}

	srv.kill()
	within("degraded after a kill", true, time.Second)
	outage := time.Now()
	time.Sleep(time.Second)
	srv.start()
	within("sharing after a restart", false, time.Since(outage)+time.Second)

	if err := srv.do("CLIENT", "PAUSE", "3000", "ALL"); err != nil {
		t.Fatal(err)
	}
	within("degraded while Redis does not answer", true, 1500*time.Millisecond+time.Second)
	within("sharing after the pause", false, 3*time.Second+time.Second)

	// Sharing works again.
	call(t, cbs[0], true)
	eventually(t, time.Second, "the other replica open", func() bool { return cbs[1].Stats().State == runtime.Open })

	if testing.Short() {
		return
	}
	// After an outage just longer than the retries' backoff takes to
	// reach its cap (50ms, 100ms, ... 3.2s: 6.35s), the retry after that
	// comes 5s later, not 6.4s: sharing resumes within the cap, and a
	// round trip.
	srv.kill()
	within("degraded after a kill", true, time.Second)
	time.Sleep(6500 * time.Millisecond)
	srv.start()
	if d := within("sharing after a 6.5s outage", false, 5*time.Second+time.Second); d > 5*time.Second+500*time.Millisecond {
		t.Errorf("sharing resumed %v after Redis answered again, want within the 5s cap of the retries", d)
	}
}
