package redisstore

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
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
	eventually(t, time.Second, "replica 0's vote and failures", func() bool {
		return c.Exists(t.Context(), testPrefix+":{agent}:votes", testPrefix+":{agent}:fails").Val() == 2
	})
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

// The probe lease lasts the latest cooldown, at least 1s, or
// WithHalfOpenMaxWait if that is longer: read from the lease key's TTL
// as a probe starts.
func TestLeaseLength(t *testing.T) {
	srv := startRedis(t)
	c := newClient(t, srv.addr())
	for _, tc := range []struct {
		name string
		opts []runtime.Option
		want time.Duration
	}{
		{"cooldown under 1s", []runtime.Option{runtime.WithCooldown(100 * time.Millisecond)}, time.Second},
		{"cooldown over 1s", []runtime.Option{runtime.WithCooldown(1500 * time.Millisecond)}, 1500 * time.Millisecond},
		{"max wait longer", []runtime.Option{runtime.WithCooldown(100 * time.Millisecond), runtime.WithHalfOpenMaxWait(3 * time.Second)}, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.do("FLUSHALL")
			rs := newReplicas(t, srv.addr(), 2, append([]runtime.Option{runtime.WithFailureThreshold(1)}, tc.opts...)...)
			call(t, rs[0].cb, true)
			allState(t, rs, time.Second, runtime.Open)
			lease := testPrefix + ":{agent}:lease"
			eventually(t, 3*time.Second, "a probe lease", func() bool {
				call(t, rs[1].cb, true) // a probe that fails, so the lease stays
				return c.Exists(t.Context(), lease).Val() == 1
			})
			// The lease was just taken: its TTL is its length, less a
			// round trip or two.
			if ttl := c.PTTL(t.Context(), lease).Val(); ttl > tc.want || ttl < tc.want-200*time.Millisecond {
				t.Errorf("the lease's TTL is %v, want %v", ttl, tc.want)
			}
		})
	}
}

// A refused Acquire says what is left of the other holder's lease, and
// says it even in the lease's last millisecond, where Redis's PTTL is 0:
// zero would mean unknown, and the replica would ask again a whole lease
// later. The lease is set to expire within the millisecond it is set in;
// an Acquire that comes in that millisecond is refused.
func TestLeaseInItsLastMillisecond(t *testing.T) {
	srv := startRedis(t)
	c := newClient(t, srv.addr())
	s, err := New(c, Options{Prefix: testPrefix})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lease := s.key("agent", "lease")
	expireNow := redis.NewScript(`
local t = redis.call('TIME')
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
return 1`)
	refused := 0
	for range 200 {
		if err := expireNow.Run(t.Context(), c, []string{lease}, "1 other").Err(); err != nil {
			t.Fatal(err)
		}
		rec, granted, err := s.Acquire(t.Context(), "agent", 1, "me", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if granted {
			continue
		}
		refused++
		if rec.LeaseRemaining <= 0 || rec.LeaseRemaining > time.Millisecond {
			t.Fatalf("a lease in its last millisecond: LeaseRemaining %v, want 1ms", rec.LeaseRemaining)
		}
	}
	t.Logf("%d of 200 Acquires came in the lease's last millisecond", refused)
	if refused == 0 {
		t.Fatal("no Acquire came in the lease's last millisecond")
	}
}
