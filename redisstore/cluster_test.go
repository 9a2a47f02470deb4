package redisstore

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// startCluster starts a Redis Cluster of three masters, each with
// perMaster replicas, on loopback ports, and waits until every node says
// cluster_state:ok. The masters are the first three nodes.
func startCluster(t testing.TB, perMaster int) []*daemon {
	t.Helper()
	cli := needBinary(t, "redis-cli")
	var nodes []*daemon
	args := []string{"--cluster", "create"}
	for _, port := range clusterPorts(t, 3*(1+perMaster)) {
		dir := t.TempDir()
		nodes = append(nodes, startDaemon(t, dir, port,
			"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--cluster-node-timeout", "1000",
			"--dir", dir, "--save", "", "--appendonly", "no", "--loglevel", "warning"))
		args = append(args, nodes[len(nodes)-1].addr())
	}
	args = append(args, "--cluster-replicas", strconv.Itoa(perMaster), "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, n := range nodes {
		eventually(t, 10*time.Second, n.addr()+" cluster_state:ok", func() bool {
			return n.info("cluster", "cluster_state") == "ok"
		})
	}
	return nodes
}

// clusterPorts returns n distinct loopback ports that were free a moment
// ago, each with its cluster bus port (the port + 10000) free too.
func clusterPorts(t testing.TB, n int) []int {
	t.Helper()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			t.Fatalf("found %d of %d free pairs of ports", len(ports), n)
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, l)
		p := l.Addr().(*net.TCPAddr).Port
		if p+10000 > 65535 {
			continue
		}
		if bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000)); err == nil {
			held = append(held, bus)
			ports = append(ports, p)
		}
	}
	return ports
}

func addrs(nodes []*daemon) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.addr())
	}
	return out
}

// newClusterClient returns a cluster client for one replica, with the
// short timeouts of newClient.
func newClusterClient(nodes []*daemon) *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:                 addrs(nodes),
		DialTimeout:           200 * time.Millisecond,
		ReadTimeout:           200 * time.Millisecond,
		WriteTimeout:          200 * time.Millisecond,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1,
	})
}

// masterOf returns the address of the master that holds key.
func masterOf(t testing.TB, c *redis.ClusterClient, key string) string {
	t.Helper()
	m, err := c.MasterForKey(context.Background(), key)
	if err != nil {
		t.Fatalf("master of %q: %v", key, err)
	}
	return m.Options().Addr
}

// TestClusterSharing runs three replicas, each with its own ClusterClient
// and Store, on a three-master Redis Cluster, with one breaker on each
// master. A replica's opening reaches the others, exactly one probe runs
// cluster-wide at the end of the cooldown, and ForceOpen and Reset reach
// every replica. The replicas' subscriptions all live on the master of
// the channel's slot, and two of the breakers live on other masters: their
// scripts' PUBLISH reaches the subscribers through the cluster bus.
func TestClusterSharing(t *testing.T) {
	nodes := startCluster(t, 0)
	admin := newClusterClient(nodes)
	defer admin.Close()
	s := &Store{prefix: testPrefix}
	// One breaker name per master, each found by its state key's slot.
	byMaster := map[string]string{}
	var names []string
	for i := 0; len(byMaster) < len(nodes); i++ {
		name := "agents/" + strconv.Itoa(i)
		if m := masterOf(t, admin, s.key(name, "state")); byMaster[m] == "" {
			byMaster[m] = name
			names = append(names, name)
		}
	}
	var clients []redis.UniversalClient
	for range 3 {
		clients = append(clients, newClusterClient(nodes))
	}
	f := newFleet(t, clients, names)
	waitSubscribers(t, addrs(nodes), 3)

	subNode := masterOf(t, admin, testPrefix+":"+channel)
	subs := subscribers(addrs(nodes))
	for i, n := range nodes {
		want := int64(0)
		if n.addr() == subNode {
			want = 3
		}
		if subs[i] != want {
			t.Errorf("node %s has %d subscribers, want %d (the channel's slot is on %s)", n.addr(), subs[i], want, subNode)
		}
	}
	for m, name := range byMaster {
		t.Logf("breaker %q lives on %s; subscribers on %s", name, m, subNode)
	}
	slowest := f.shareAll(t)
	t.Logf("slowest trip to reach every replica: %v", slowest)
}

// TestClusterKeysInOneSlot checks that the keys of a breaker (state,
// votes, lease, fails) hash to one slot, whatever its name, and that the
// scripts that use two of them run on the cluster: a breaker of each name
// is forced open by one replica and reset by another, its probe lease is
// taken, and failure evidence is reported for it.
func TestClusterKeysInOneSlot(t *testing.T) {
	nodes := startCluster(t, 0)
	admin := newClusterClient(nodes)
	defer admin.Close()
	names := []string{"agents/bravo", "agent", "", "}", "}{", "}x", "{}", "{a}", "a}:state", "x{y}z",
		"\xff\xfe", "a\x00b", strings.Repeat("long", 1024)}
	s := &Store{prefix: testPrefix}
	ctx := context.Background()
	for _, name := range names {
		var slots []int64
		for _, kind := range []string{"state", "votes", "lease", "fails"} {
			slot, err := admin.ClusterKeySlot(ctx, s.key(name, kind)).Result()
			if err != nil {
				t.Fatalf("CLUSTER KEYSLOT %q: %v", s.key(name, kind), err)
			}
			slots = append(slots, slot)
		}
		if len(slices.Compact(slices.Clone(slots))) != 1 {
			t.Errorf("name %q: the keys state, votes, lease, fails are in slots %v, want one slot", short(name), slots)
		}
	}
	var clients []redis.UniversalClient
	for range 2 {
		clients = append(clients, newClusterClient(nodes))
	}
	f := newFleet(t, clients, names)
	waitSubscribers(t, addrs(nodes), 2)
	for j, name := range names {
		f.operator(t, j)
		if _, _, err := f.stores[0].Acquire(ctx, name, 1, "r0", time.Second); err != nil {
			t.Errorf("name %q: %v", short(name), err)
		}
		e := shared.Evidence{Failures: 1, Threshold: 2, Quorum: 1, Cooldown: time.Second, Origin: "r0"}
		if _, _, err := f.stores[0].Report(ctx, name, e); err != nil {
			t.Errorf("name %q: %v", short(name), err)
		}
	}
}

func short(name string) string { return fmt.Sprintf("%.12q", name) }

// TestClusterFailover kills the master that holds both the replicas'
// subscriptions and a breaker's keys, in a cluster whose masters each
// have a replica, while the replicas' calls keep running. Every replica
// turns degraded and keeps working locally; once the cluster has promoted
// the killed master's replica, every replica recovers by itself, and a
// trip on one reaches the others again.
func TestClusterFailover(t *testing.T) {
	nodes := startCluster(t, 1)
	admin := newClusterClient(nodes)
	defer admin.Close()
	victim := masterOf(t, admin, testPrefix+":"+channel)
	s := &Store{prefix: testPrefix}
	name := ""
	for i := 0; name == ""; i++ {
		if n := "agents/" + strconv.Itoa(i); masterOf(t, admin, s.key(n, "state")) == victim {
			name = n
		}
	}
	var killed, heir *daemon
	for _, n := range nodes {
		switch {
		case n.addr() == victim:
			killed = n
		case n.info("replication", "master_port") == strings.TrimPrefix(victim, "127.0.0.1:"):
			heir = n
		}
	}
	if killed == nil || heir == nil {
		t.Fatalf("no node or no replica for the master %s", victim)
	}
	eventually(t, 10*time.Second, "the replica of "+victim+" in sync", func() bool {
		return heir.info("replication", "master_link_status") == "up"
	})
	var clients []redis.UniversalClient
	for range 3 {
		clients = append(clients, newClusterClient(nodes))
	}
	f := newFleet(t, clients, []string{name})
	waitSubscribers(t, addrs(nodes), 3)
	f.trip(t, 0, 0)
	f.probe(t, 0)

	// A Store whose client loaded the slots before the kill, and does not
	// talk to the cluster until after the promotion.
	stale := newClusterClient(nodes)
	defer stale.Close()
	if err := stale.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	late, err := New(stale, Options{Prefix: testPrefix})
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()

	at := time.Now()
	killed.kill()
	// Promoted: the replica is a master, and every node that lives
	// serves every slot again.
	promoted := func() bool {
		if heir.info("replication", "role") != "master" {
			return false
		}
		for _, n := range nodes {
			if n != killed && n.info("cluster", "cluster_state") != "ok" {
				return false
			}
		}
		return true
	}
	m := watchFailover(t, f, promoted, at)
	t.Logf("after the master was killed: every replica degraded after %v, the cluster promoted its replica after %v, "+
		"every replica shared again after %v; slowest call %v",
		m.degraded.Round(time.Millisecond), m.promoted.Round(time.Millisecond), m.recovered.Round(time.Millisecond), m.slowest)
	// The Store has the cluster client reload the slots before each try
	// to subscribe (Store.reloadSlots), so the first try after the
	// promotion succeeds, as with Sentinel. The tries come at most 5 s
	// apart; a reload that meets the dead master first spends 0.4 s
	// dialing it.
	m.check(t, 6*time.Second)
	// Its first try to subscribe succeeds, with the slots it had.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	subscribed := false
	err = late.Watch(ctx, func() { subscribed = true; cancel() }, func(string, shared.Record) {})
	if !subscribed {
		t.Errorf("a Store whose client had the slots of before the failover: its first try to subscribe failed: %v", err)
	}
	t.Logf("a trip after the failover reached every replica in %v", f.trip(t, 1, 0))
	f.probe(t, 0)
	f.operator(t, 0)
}
