package redisstore

import (
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// WithQuorum(2) counts the replicas that opened within one cooldown:
// two openings further apart than that open only themselves; two within
// it open every replica.
func TestQuorumCountsOneCooldown(t *testing.T) {
	srv := startRedis(t)
	const cooldown = 300 * time.Millisecond
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(1), runtime.WithCooldown(cooldown), shared.WithQuorum(2))
	c := newClient(t, srv.addr())
	votes, fails := testPrefix+":{agent}:votes", testPrefix+":{agent}:fails"
	call(t, rs[0].cb, true)
	eventually(t, time.Second, "replica 0's vote and failure", func() bool { return c.Exists(t.Context(), votes, fails).Val() == 2 })
	// Its vote and its failure evidence, each reported in the background,
	// lapse a cooldown after each reached Redis.
	eventually(t, 2*cooldown, "replica 0's vote and failure lapsed", func() bool { return c.Exists(t.Context(), votes, fails).Val() == 0 })
	call(t, rs[1].cb, true)
	eventually(t, time.Second, "replica 1's vote", func() bool { return c.Exists(t.Context(), votes).Val() == 1 })
	time.Sleep(100 * time.Millisecond) // what does not happen has no event to wait for
	if s := rs[2].cb.Stats().State; s != runtime.Closed {
		t.Fatalf("replica 2 is %v on two openings a cooldown apart, want closed", s)
	}
	if st := rs[0].cb.Stats(); st.RetryAfter != 0 {
		t.Fatalf("replica 0, whose own cooldown is over, waits %v: it adopted an opening", st.RetryAfter)
	}
	call(t, rs[2].cb, true) // within replica 1's cooldown: the quorum
	// Replica 0 adopts the shared opening, with a new cooldown.
	eventually(t, time.Second, "replica 0 adopts the opening", func() bool { return rs[0].cb.Stats().RetryAfter > cooldown/2 })
}
