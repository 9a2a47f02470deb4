package redisstore

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// Helpers for the tests that run the store on a Redis Cluster and on a
// Sentinel setup: processes of redis-server, and a fleet of replicas that
// share breakers through any redis.UniversalClient.

// needBinary returns the path of a Redis binary. Without it the test is
// skipped, unless it runs in CI (CI=true), where it fails.
func needBinary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found in PATH; CI must install it (apt-get install redis-server)", name)
		}
		t.Skipf("%s not found in PATH: install it (apt-get install redis-server) to run the Redis tests", name)
	}
	return path
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// A daemon is a redis-server process (a node, or a sentinel) that a test
// started on a loopback port; it is stopped by its PID when the test ends.
type daemon struct {
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// startDaemon runs redis-server with args, logging into dir, and waits
// until it answers a PING on port.
func startDaemon(t testing.TB, dir string, port int, args ...string) *daemon {
	t.Helper()
	cmd := exec.Command(needBinary(t, "redis-server"), args...)
	dieWithTest(cmd)
	if f, err := os.OpenFile(filepath.Join(dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
		defer f.Close()
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	d := &daemon{port: port, cmd: cmd, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(d.done)
	}()
	t.Cleanup(d.kill)
	c := redis.NewClient(&redis.Options{Addr: d.addr(), MaxRetries: -1})
	defer c.Close()
	eventually(t, 10*time.Second, "redis-server answers on "+d.addr(), func() bool {
		return c.Ping(context.Background()).Err() == nil
	})
	return d
}

func (d *daemon) addr() string { return "127.0.0.1:" + strconv.Itoa(d.port) }

// kill stops the process at once, as a crash would, by its PID.
func (d *daemon) kill() {
	d.cmd.Process.Kill()
	<-d.done
}

// info returns the value of field in the INFO or CLUSTER INFO reply of
// the daemon (section "cluster" asks CLUSTER INFO), or "" if it does not
// answer.
func (d *daemon) info(section, field string) string {
	c := redis.NewClient(&redis.Options{Addr: d.addr(), MaxRetries: -1})
	defer c.Close()
	var text string
	var err error
	if section == "cluster" {
		text, err = c.ClusterInfo(context.Background()).Result()
	} else {
		text, err = c.Info(context.Background(), section).Result()
	}
	if err != nil {
		return ""
	}
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return v
		}
	}
	return ""
}

// subscribers returns how many clients are subscribed to the channel of
// testPrefix on each of nodes (-1 for a node that does not answer).
func subscribers(nodes []string) []int64 {
	out := make([]int64, len(nodes))
	for i, addr := range nodes {
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		m, err := c.PubSubNumSub(context.Background(), testPrefix+":"+channel).Result()
		c.Close()
		out[i] = -1
		if err == nil {
			out[i] = m[testPrefix+":"+channel]
		}
	}
	return out
}

// waitSubscribers waits until n clients in all are subscribed to the
// channel of testPrefix on nodes.
func waitSubscribers(t testing.TB, nodes []string, n int64) {
	t.Helper()
	eventually(t, 5*time.Second, fmt.Sprintf("%d subscribers on %v", n, nodes), func() bool {
		var sum int64
		for _, k := range subscribers(nodes) {
			sum += k
		}
		return sum == n
	})
}

// A fleet is replicas of a service, each with its own client and Store,
// and one breaker per name in each: cbs[replica][name].
type fleet struct {
	names  []string
	stores []*Store
	cbs    [][]*runtime.Breaker
}

// sharedOpts configure the fleets' breakers: one failure opens, for a
// cooldown of 100ms, and one probe at a time may pass.
var sharedOpts = []runtime.Option{runtime.WithFailureThreshold(1),
	runtime.WithCooldown(100 * time.Millisecond), runtime.WithHalfOpenProbes(1, 1)}

func newFleet(t testing.TB, clients []redis.UniversalClient, names []string) *fleet {
	t.Helper()
	f := &fleet{names: names}
	for i, c := range clients {
		t.Cleanup(func() { c.Close() })
		s, err := New(c, Options{Prefix: testPrefix, Replica: "r" + strconv.Itoa(i), PingEvery: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		var cbs []*runtime.Breaker
		for _, name := range names {
			cbs = append(cbs, runtime.New(name, append([]runtime.Option{shared.WithStore(s)}, sharedOpts...)...))
		}
		f.stores, f.cbs = append(f.stores, s), append(f.cbs, cbs)
	}
	return f
}

// all waits until breaker j is in state s on every replica.
func (f *fleet) all(t testing.TB, j int, limit time.Duration, s runtime.State) {
	t.Helper()
	for i := range f.cbs {
		eventually(t, limit, fmt.Sprintf("replica %d's %q %v", i, f.names[j], s), func() bool { return f.cbs[i][j].Stats().State == s })
	}
}

// trip opens breaker j on replica i with a failure of its own, and checks
// that every other replica opens within 200ms; it returns how long the
// last one took.
func (f *fleet) trip(t testing.TB, i, j int) time.Duration {
	t.Helper()
	start := time.Now()
	if !call(t, f.cbs[i][j], true) || f.cbs[i][j].Stats().State != runtime.Open {
		t.Fatalf("replica %d's %q: a failing call did not open it", i, f.names[j])
	}
	f.all(t, j, 200*time.Millisecond, runtime.Open)
	return time.Since(start)
}

// probe checks that, at the end of the cooldown of breaker j, open on
// every replica, exactly one probe reaches the dependency while 20
// goroutines per replica call it for 300ms, and that its success closes
// every replica.
func (f *fleet) probe(t testing.TB, j int) {
	t.Helper()
	var cbs []*runtime.Breaker
	for _, r := range f.cbs {
		cbs = append(cbs, r[j])
	}
	got := probesReaching(cbs, 20)
	if got != 1 {
		t.Fatalf("%q: %d probes reached the dependency, want 1", f.names[j], got)
	}
	f.all(t, j, 200*time.Millisecond, runtime.Closed)
}

// operator checks that ForceOpen on one replica and Reset on another
// reach every replica.
func (f *fleet) operator(t testing.TB, j int) {
	t.Helper()
	f.cbs[0][j].ForceOpen()
	for i := range f.cbs {
		eventually(t, 200*time.Millisecond, fmt.Sprintf("replica %d's %q forced open", i, f.names[j]), func() bool {
			return f.cbs[i][j].Stats().Forced
		})
	}
	f.cbs[len(f.cbs)-1][j].Reset()
	f.all(t, j, 200*time.Millisecond, runtime.Closed)
}

// shareAll runs a trip from each replica in turn, a probe, and the
// operator's actions on every breaker of the fleet, and returns the
// slowest time for a trip to reach every replica.
func (f *fleet) shareAll(t testing.TB) time.Duration {
	t.Helper()
	var slowest time.Duration
	for j := range f.names {
		slowest = max(slowest, f.trip(t, j%len(f.cbs), j))
		f.probe(t, j)
		f.operator(t, j)
	}
	return slowest
}
