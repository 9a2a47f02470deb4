package redisstore

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// Every key the Store writes has a TTL (but a forced opening's record:
// TestForcedOpeningOutlivesRecordTTL), checked after each step that
// writes one: failure evidence, a vote to open, the shared opening, the
// probe lease.
func TestEveryKeyHasATTL(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 2, runtime.WithFailureThreshold(threshold),
		runtime.WithCooldown(100*time.Millisecond), shared.WithQuorum(2))
	c := newClient(t, srv.addr())
	seen := map[string]bool{}
	check := func(step string) {
		t.Helper()
		keys, err := c.Keys(t.Context(), testPrefix+":*").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if ttl := c.PTTL(t.Context(), k).Val(); ttl <= 0 && ttl != -2 { // -2: expired since KEYS
				t.Errorf("after %s, %s has TTL %v, want one", step, k, ttl)
			}
			seen[k[strings.LastIndexByte(k, ':')+1:]] = true
		}
	}
	for range threshold {
		call(t, rs[0].cb, true)
	}
	eventually(t, time.Second, "replica 0's vote", func() bool { return c.Exists(t.Context(), testPrefix+":{agent}:votes").Val() == 1 })
	check("one replica's failures")
	for range threshold {
		call(t, rs[1].cb, true)
	}
	allState(t, rs, time.Second, runtime.Open)
	eventually(t, time.Second, "the shared opening", func() bool { return c.HGet(t.Context(), testPrefix+":{agent}:state", "s").Val() == "open" })
	check("the opening")
	time.Sleep(100 * time.Millisecond) // the cooldown
	eventually(t, time.Second, "a probe lease", func() bool {
		call(t, rs[0].cb, false)
		call(t, rs[1].cb, false)
		return c.Exists(t.Context(), testPrefix+":{agent}:lease").Val() == 1 || rs[0].cb.Stats().State == runtime.Closed
	})
	check("the probe")
	var kinds []string
	for k := range seen {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"fails", "lease", "state", "votes"}) {
		t.Errorf("keys checked: %v, want fails, lease, state and votes", kinds)
	}
}
