package redisstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// A sentinelSetup is a master, one replica of it, and three sentinels that
// watch the master under the name "m" and fail over half a second after
// it stops answering.
type sentinelSetup struct {
	master, replica *daemon
	sentinels       []*daemon
}

func nodeArgs(dir string, port int) []string {
	return []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--loglevel", "warning"}
}

// startSentinel starts a sentinelSetup on loopback ports and waits until
// the replica is in sync and every sentinel knows the replica and the
// other two sentinels.
func startSentinel(t testing.TB) *sentinelSetup {
	t.Helper()
	var s sentinelSetup
	dir, port := t.TempDir(), freePort(t)
	s.master = startDaemon(t, dir, port, nodeArgs(dir, port)...)
	dir, port = t.TempDir(), freePort(t)
	s.replica = startDaemon(t, dir, port, append(nodeArgs(dir, port), "--replicaof", "127.0.0.1", strconv.Itoa(s.master.port))...)
	eventually(t, 10*time.Second, "the replica in sync", func() bool {
		return s.replica.info("replication", "master_link_status") == "up"
	})
	for range 3 {
		dir, port := t.TempDir(), freePort(t)
		conf := filepath.Join(dir, "sentinel.conf")
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor m 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds m 500\nsentinel failover-timeout m 3000\n", port, dir, s.master.port)
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		s.sentinels = append(s.sentinels, startDaemon(t, dir, port, conf, "--sentinel", "--loglevel", "warning"))
	}
	for _, d := range s.sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: d.addr(), MaxRetries: -1})
		eventually(t, 20*time.Second, "sentinel "+d.addr()+" knows the replica and the other sentinels", func() bool {
			m, err := c.Master(context.Background(), "m").Result()
			return err == nil && m["num-slaves"] == "1" && m["num-other-sentinels"] == "2"
		})
		c.Close()
	}
	return &s
}

// masterAddr returns the master's address according to the first
// sentinel.
func (s *sentinelSetup) masterAddr() string {
	c := redis.NewSentinelClient(&redis.Options{Addr: s.sentinels[0].addr(), MaxRetries: -1})
	defer c.Close()
	a, err := c.GetMasterAddrByName(context.Background(), "m").Result()
	if err != nil || len(a) != 2 {
		return ""
	}
	return a[0] + ":" + a[1]
}

// client returns a failover client for one replica of the service, with
// the short timeouts of newClient.
func (s *sentinelSetup) client() *redis.Client {
	return redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName:            "m",
		SentinelAddrs:         addrs(s.sentinels),
		DialTimeout:           200 * time.Millisecond,
		ReadTimeout:           200 * time.Millisecond,
		WriteTimeout:          200 * time.Millisecond,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1,
	})
}

func (s *sentinelSetup) fleet(t testing.TB, n int, names ...string) *fleet {
	t.Helper()
	var clients []redis.UniversalClient
	for range n {
		clients = append(clients, s.client())
	}
	f := newFleet(t, clients, names)
	waitSubscribers(t, []string{s.master.addr()}, int64(n))
	return f
}

// TestSentinel runs three replicas, each with its own failover client
// and Store, on a Sentinel setup.
func TestSentinel(t *testing.T) {
	s := startSentinel(t)
	// A replica's opening reaches the others, exactly one probe runs
	// cluster-wide at the end of the cooldown, and ForceOpen and Reset
	// reach every replica.
	t.Run("sharing", func(t *testing.T) {
		f := s.fleet(t, 3, "agents/alpha", "agents/bravo")
		t.Logf("slowest trip to reach every replica: %v", f.shareAll(t))
	})
	// The master's process is killed while the replicas' calls keep
	// running. Every replica turns degraded and keeps working locally
	// (every call reaches the dependency, none waits for Redis); once the
	// sentinels have promoted the replica, every replica recovers by
	// itself, and a trip on one reaches the others again.
	t.Run("failover", func(t *testing.T) { failover(t, s) })
}

func failover(t *testing.T, s *sentinelSetup) {
	f := s.fleet(t, 3, "agent")
	f.trip(t, 0, 0)
	f.probe(t, 0)

	killed := time.Now()
	s.master.kill()
	m := watchFailover(t, f, func() bool { return s.masterAddr() == s.replica.addr() }, killed)
	t.Logf("after the master was killed: every replica degraded after %v, the sentinels promoted the replica after %v, "+
		"every replica shared again after %v; slowest call %v",
		m.degraded.Round(time.Millisecond), m.promoted.Round(time.Millisecond), m.recovered.Round(time.Millisecond), m.slowest)
	if got := s.masterAddr(); got != s.replica.addr() {
		t.Fatalf("the sentinels name %s the master, want the promoted replica %s", got, s.replica.addr())
	}
	// A failover client asks the sentinels for the master at every
	// dial: the replicas share again at their first try after the
	// promotion.
	m.check(t, 6*time.Second)
	t.Logf("a trip after the failover reached every replica in %v", f.trip(t, 1, 0))
	f.probe(t, 0)
	f.operator(t, 0)
}
