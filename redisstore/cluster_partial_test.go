package redisstore

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/redis/go-redis/v9"
)

// TestClusterMasterDownDegradesOnlyItsKeys kills one master of a
// three-master Redis Cluster that serves the slots it still can
// (cluster-require-full-coverage no), neither the one of the replicas'
// subscriptions nor the one of a third breaker's keys; two breakers have
// their keys on it. Only those two may turn degraded: the one whose
// opening a replica tried to share does, on that replica, and works
// locally; the third breaker stays healthy on every replica through the
// retries of the sync loop, which may pick the second as its witness, and
// its trips are still shared.
func TestClusterMasterDownDegradesOnlyItsKeys(t *testing.T) {
	nodes := startCluster(t, 0)
	for _, n := range nodes {
		c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
		if err := c.ConfigSet(context.Background(), "cluster-require-full-coverage", "no").Err(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	admin := newClusterClient(nodes)
	defer admin.Close()
	s := &Store{prefix: testPrefix}
	watched := masterOf(t, admin, testPrefix+":"+channel)
	var victim *daemon
	for _, n := range nodes {
		if n.addr() != watched {
			victim = n
			break
		}
	}
	// names[0] and names[1] live on the victim, names[2] on the master of
	// the subscriptions.
	names := []string{"", "", ""}
	for i := 0; names[0] == "" || names[1] == "" || names[2] == ""; i++ {
		n := "agents/" + strconv.Itoa(i)
		switch master := masterOf(t, admin, s.key(n, "state")); {
		case master == victim.addr() && names[0] == "":
			names[0] = n
		case master == victim.addr() && names[1] == "":
			names[1] = n
		case master == watched:
			names[2] = n
		}
	}
	var clients []redis.UniversalClient
	for range 3 {
		clients = append(clients, newClusterClient(nodes))
	}
	f := newFleet(t, clients, names)
	waitSubscribers(t, addrs(nodes), 3)
	f.trip(t, 0, 0)
	f.probe(t, 0)
	kept := 2

	victim.kill()
	if !call(t, f.cbs[0][0], true) || f.cbs[0][0].Stats().State != runtime.Open {
		t.Fatalf("replica 0's %q: a failing call did not open it with its master down", names[0])
	}
	eventually(t, 5*time.Second, "replica 0's "+names[0]+" degraded", func() bool {
		return !f.cbs[0][0].Stats().DegradedSince.IsZero()
	})
	// The sync loop retries, each time with witnesses, every round ending
	// at the deadline of a store operation (0.5s) since the dead master
	// does not answer: three rounds.
	for deadline := time.Now().Add(1600 * time.Millisecond); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for i := range f.cbs {
			if !f.cbs[i][kept].Stats().DegradedSince.IsZero() {
				t.Fatalf("replica %d's %q, whose master lives, is degraded", i, names[kept])
			}
		}
	}
	t.Logf("with the master of %q down, a trip of %q reached every replica in %v", names[0], names[kept], f.trip(t, 0, kept))
	for i := range f.cbs {
		if !f.cbs[i][kept].Stats().DegradedSince.IsZero() {
			t.Fatalf("replica %d's %q is degraded after its trip", i, names[kept])
		}
	}
}
