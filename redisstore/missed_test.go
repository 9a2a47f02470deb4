package redisstore

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// A replica that misses an opening, its connections to Redis cut while
// another replica opens, converges once it reconnects: it subscribes
// again and reloads the shared record. Its connections are cut with
// CLIENT KILL, and its client refuses to dial until the opening is in
// Redis, so that the message is missed for certain.
func TestMissedOpeningConverges(t *testing.T) {
	srv := startRedis(t)
	other := newReplica(t, srv.addr(), "r0", runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))

	var refuse atomic.Bool
	client := redis.NewClient(&redis.Options{
		Addr: srv.addr(), ClientName: "cut", ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if refuse.Load() {
				return nil, errors.New("refused by the test")
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	})
	t.Cleanup(func() { client.Close() })
	store, err := New(client, Options{Prefix: testPrefix, Replica: "cut", PingEvery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cut := runtime.New("agent", shared.WithStore(store), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))
	waitSubscribed(t, srv.addr(), 2)

	refuse.Store(true)
	admin := newClient(t, srv.addr())
	list, err := admin.ClientList(t.Context()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(list) {
		if strings.Contains(line, " name=cut ") {
			id := strings.TrimPrefix(strings.Fields(line)[0], "id=")
			admin.Do(t.Context(), "CLIENT", "KILL", "ID", id)
		}
	}
	waitSubscribed(t, srv.addr(), 1)
	call(t, other.cb, true)
	c := newClient(t, srv.addr())
	eventually(t, time.Second, "the opening in Redis", func() bool { return c.HGet(t.Context(), testPrefix+":{agent}:state", "s").Val() == "open" })
	time.Sleep(50 * time.Millisecond) // the message is gone by now
	if s := cut.Stats().State; s != runtime.Closed {
		t.Fatalf("the cut replica is %v while cut off, want closed: it cannot have heard", s)
	}
	refuse.Store(false)
	start := time.Now()
	eventually(t, 6*time.Second, "the cut replica open", func() bool { return cut.Stats().State == runtime.Open })
	t.Logf("the cut replica converged %v after it could reconnect", time.Since(start).Round(time.Millisecond))
	eventually(t, time.Second, "the cut replica healthy", func() bool { return cut.Stats().DegradedSince.IsZero() })
}
