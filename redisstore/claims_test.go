package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// Each test below proves one claim of the shared mode against a real
// redis-server, with replicas that are independent breakers with their
// own clients; TestFewerCallsToADeadDependency and
// TestForceOpenAndResetReachEveryReplica run them as separate processes.

const threshold = 5

// Claim 1: six replicas take turns calling a dependency, one call every
// 10ms in all, when it goes down. A turn is one threshold's worth of
// calls by one replica, round-robin (a replica only learns the dependency
// is down from its own calls: counts are not shared). With sharing the
// dependency sees at most 2 × threshold failing calls before every
// replica is open, and every replica is open within 200ms of the first;
// without, 6 × threshold.
func TestFewerCallsToADeadDependency(t *testing.T) {
	srv := startRedis(t)
	for _, share := range []bool{true, false} {
		t.Run(fmt.Sprintf("share=%v", share), func(t *testing.T) {
			srv.do("FLUSHALL")
			shareEnv := "REDISSTORE_SHARE=0"
			if share {
				shareEnv = "REDISSTORE_SHARE=1"
			}
			var ps []*proc
			for i := range 6 {
				ps = append(ps, startProc(t, "p"+strconv.Itoa(i), shareEnv, "REDISSTORE_ADDR="+srv.addr(),
					"REDISSTORE_THRESHOLD="+strconv.Itoa(threshold), "REDISSTORE_COOLDOWN=1m"))
			}
			for _, p := range ps {
				if got := p.ask("call ok"); got != "reached" {
					t.Fatalf("healthy call: %s", got)
				}
			}
			if share {
				waitSubscribed(t, srv.addr(), 6)
			}
			failing := 0
			var firstOpen, allOpen time.Time
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for n := 0; allOpen.IsZero(); n++ {
				if n > 12*threshold {
					t.Fatalf("not every replica open after %d calls", n)
				}
				<-tick.C
				if ps[(n/threshold)%6].ask("call fail") == "reached" {
					failing++
				}
				open := 0
				for _, p := range ps {
					if p.ask("state") == "open" {
						open++
					}
				}
				now := time.Now()
				if open > 0 && firstOpen.IsZero() {
					firstOpen = now
				}
				if open == 6 {
					allOpen = now
				}
			}
			spread := allOpen.Sub(firstOpen)
			t.Logf("share=%v: %d failing calls reached the dependency; all open %v after the first", share, failing, spread)
			if share {
				if failing > 2*threshold {
					t.Errorf("%d failing calls with sharing, want at most %d", failing, 2*threshold)
				}
				if spread > 200*time.Millisecond {
					t.Errorf("every replica open %v after the first, want within 200ms", spread)
				}
			} else if failing != 6*threshold {
				t.Errorf("%d failing calls without sharing, want %d", failing, 6*threshold)
			}
		})
	}
}

// Claim 2: at the end of the cooldown, 6 replicas × 50 goroutines call;
// exactly WithHalfOpenProbes(n, n) probes reach the dependency, in each of
// 30 trials.
func TestOneProbeClusterWide(t *testing.T) {
	srv := startRedis(t)
	for _, c := range []struct{ probes, trials int }{{1, 30}, {3, 10}} {
		t.Run("probes="+strconv.Itoa(c.probes), func(t *testing.T) {
			srv.do("FLUSHALL")
			rs := newReplicas(t, srv.addr(), 6, runtime.WithFailureThreshold(1),
				runtime.WithCooldown(100*time.Millisecond), runtime.WithHalfOpenProbes(c.probes, c.probes))
			for trial := range c.trials {
				call(t, rs[trial%6].cb, true)
				allState(t, rs, 200*time.Millisecond, runtime.Open)
				var cbs []*runtime.Breaker
				for _, r := range rs {
					cbs = append(cbs, r.cb)
				}
				got := probesReaching(cbs, 50)
				if got != int64(c.probes) {
					t.Fatalf("trial %d: %d probes reached the dependency, want %d", trial, got, c.probes)
				}
				allState(t, rs, 200*time.Millisecond, runtime.Closed)
			}
		})
	}
}

// Claim 3: a successful probe closes every replica within 200ms; a failed
// one reopens every replica with the next, backed-off cooldown, whatever
// the quorum.
func TestProbeResultReachesEveryReplica(t *testing.T) {
	srv := startRedis(t)
	for _, quorum := range []int{1, 2} {
		t.Run(fmt.Sprint("quorum=", quorum), func(t *testing.T) {
			srv.do("FLUSHALL")
			probeResultReachesEveryReplica(t, srv, quorum)
		})
	}
}

func probeResultReachesEveryReplica(t *testing.T, srv *redisServer, quorum int) {
	const cooldown = 100 * time.Millisecond
	rs := newReplicas(t, srv.addr(), 6, runtime.WithFailureThreshold(1),
		runtime.WithCooldown(cooldown), runtime.WithBackoff(2, time.Minute, 0), shared.WithQuorum(quorum))
	probe := func(down bool) time.Time {
		t.Helper()
		var at time.Time
		eventually(t, 2*time.Second, "a probe", func() bool {
			for _, r := range rs {
				if call(t, r.cb, down) {
					at = time.Now()
					return true
				}
			}
			return false
		})
		return at
	}
	// trip opens every replica: quorum replicas fail.
	trip := func(first int) {
		t.Helper()
		for i := range quorum {
			call(t, rs[(first+i)%len(rs)].cb, true)
		}
		allState(t, rs, 200*time.Millisecond, runtime.Open)
	}

	trip(0)
	at := probe(false)
	allState(t, rs, 200*time.Millisecond-time.Since(at), runtime.Closed)

	trip(1)
	at = probe(true)
	for i, r := range rs {
		eventually(t, 200*time.Millisecond-time.Since(at), fmt.Sprintf("replica %d reopened for 2 × cooldown", i), func() bool {
			st := r.cb.Stats()
			return st.State == runtime.Open && st.Cooldown == 2*cooldown && st.RetryAfter > cooldown
		})
	}
	// The next probe succeeds and closes them all, back to the first cooldown.
	at = probe(false)
	allState(t, rs, 200*time.Millisecond-time.Since(at), runtime.Closed)
	trip(2)
	for i, r := range rs {
		eventually(t, 200*time.Millisecond, fmt.Sprintf("replica %d open for 1 × cooldown", i), func() bool {
			st := r.cb.Stats()
			return st.State == runtime.Open && st.Cooldown == cooldown
		})
	}
}

// Claim 4: with quorum 2, one replica that fails alone opens only itself;
// a second one opens them all.
func TestQuorum(t *testing.T) {
	srv := startRedis(t)
	rs := newReplicas(t, srv.addr(), 3, runtime.WithFailureThreshold(1),
		runtime.WithCooldown(time.Second), shared.WithQuorum(2))
	call(t, rs[0].cb, true)
	if rs[0].cb.Stats().State != runtime.Open {
		t.Fatal("replica 0 did not open")
	}
	time.Sleep(200 * time.Millisecond) // what does not happen has no event to wait for
	for i, r := range rs[1:] {
		if !call(t, r.cb, false) {
			t.Fatalf("replica %d rejected a call after replica 0 opened alone", i+1)
		}
	}
	call(t, rs[1].cb, true)
	allState(t, rs, 200*time.Millisecond, runtime.Open)
}

// Claim 5: with calls running throughout, killing, restarting, pausing and
// flushing Redis makes no call fail or wait; sharing resumes and the state
// converges; nothing leaks after Close.
func TestRedisFaults(t *testing.T) {
	srv := startRedis(t)
	// Settle the goroutines the test framework and the server start.
	baseline := goroutines()
	const cooldown = 150 * time.Millisecond
	var (
		rs   []*replica
		down atomic.Bool
		slow atomic.Int64 // the slowest call, in ns
		errs atomic.Int64
	)
	clients := []*redis.Client{}
	stores := []*Store{}
	var logs [3]syncBuffer
	for i := range 3 {
		c := redis.NewClient(&redis.Options{Addr: srv.addr(), DialTimeout: 200 * time.Millisecond,
			ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, ContextTimeoutEnabled: true, MaxRetries: -1})
		s, err := New(c, Options{Prefix: testPrefix, Replica: "r" + strconv.Itoa(i), PingEvery: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		clients, stores = append(clients, c), append(stores, s)
		rs = append(rs, &replica{client: c, store: s, cb: runtime.New("agent", shared.WithStore(s),
			runtime.WithFailureThreshold(3), runtime.WithCooldown(cooldown),
			runtime.WithLogger(slog.New(slog.NewTextHandler(&logs[i], nil))))})
	}
	waitSubscribed(t, srv.addr(), 3)
	stopCalls := make(chan struct{})
	var callers sync.WaitGroup
	var quiet [3]atomic.Bool // the replica's caller pauses
	for i, r := range rs {
		callers.Go(func() {
			for {
				select {
				case <-stopCalls:
					return
				default:
				}
				if quiet[i].Load() {
					time.Sleep(time.Millisecond)
					continue
				}
				start := time.Now()
				_, err := runtime.Do(r.cb, func() (int, error) {
					if down.Load() {
						return 0, errDown
					}
					return 1, nil
				})
				if d := int64(time.Since(start)); d > slow.Load() {
					slow.Store(d)
				}
				if err != nil && !errors.Is(err, errDown) && !errors.Is(err, runtime.ErrOpen) {
					errs.Add(1)
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	degraded := func(want bool) {
		t.Helper()
		for i, r := range rs {
			eventually(t, 5*time.Second, fmt.Sprintf("replica %d degraded=%v", i, want), func() bool { return r.cb.Stats().DegradedSince.IsZero() != want })
		}
	}
	// trip opens replica i's breaker with failures of its own, while its
	// caller's successes pause.
	trip := func(i int) {
		quiet[i].Store(true)
		time.Sleep(10 * time.Millisecond) // the caller's call in flight ends
		for range 3 {
			call(t, rs[i].cb, true)
		}
		quiet[i].Store(false)
	}
	// outage runs the dependency down until every replica is open, then up
	// until every replica is closed again.
	outage := func() {
		t.Helper()
		down.Store(true)
		allState(t, rs, 2*time.Second, runtime.Open)
		down.Store(false)
		allState(t, rs, 2*time.Second, runtime.Closed)
	}
	outage()

	t.Log("kill")
	srv.kill()
	degraded(true)
	outage() // locally, each on its own
	t.Log("restart")
	srv.start()
	degraded(false)
	trip(0)
	// rs[0] opened on its own failures; the others adopt it although their
	// own calls succeed: sharing resumed.
	allState(t, rs, 200*time.Millisecond, runtime.Open)
	allState(t, rs, 2*time.Second, runtime.Closed)

	t.Log("pause")
	if err := srv.do("CLIENT", "PAUSE", "1500", "ALL"); err != nil {
		t.Fatal(err)
	}
	outage() // a probe and state changes while Redis does not answer
	degraded(true)
	degraded(false)
	outage()

	t.Log("flush")
	trip(1)
	allState(t, rs, 200*time.Millisecond, runtime.Open)
	if err := srv.do("FLUSHALL"); err != nil {
		t.Fatal(err)
	}
	// The records are gone: the probe after the cooldown still closes all.
	allState(t, rs, 2*time.Second, runtime.Closed)
	trip(2)
	allState(t, rs, 200*time.Millisecond, runtime.Open)
	allState(t, rs, 2*time.Second, runtime.Closed)

	close(stopCalls)
	callers.Wait()
	if n := errs.Load(); n != 0 {
		t.Errorf("%d calls failed with an error that was neither the dependency's nor a rejection", n)
	}
	if d := time.Duration(slow.Load()); d > 100*time.Millisecond {
		t.Errorf("the slowest call took %v: a call waited for Redis", d)
	}
	t.Logf("slowest call %v", time.Duration(slow.Load()))
	// Each logger said so once per outage, the kill and the pause, and
	// once when each ended.
	for i := range logs {
		out := logs[i].String()
		if down, up := strings.Count(out, "breaker store unavailable:"), strings.Count(out, "breaker store available again"); down != 2 || up != 2 {
			t.Errorf("replica %d logged %d unavailable and %d available-again lines, want 2 and 2:\n%s", i, down, up, out)
		}
	}
	for i := range rs {
		stores[i].Close()
		clients[i].Close()
	}
	eventually(t, 3*time.Second, "no goroutine left after Close", func() bool { return goroutines() <= baseline })
}

func goroutines() int {
	debug.FreeOSMemory()
	return goruntime.NumGoroutine()
}

// Claim 6: a replica started while the others are open starts open with
// the remaining cooldown.
func TestLateJoiner(t *testing.T) {
	srv := startRedis(t)
	const cooldown = time.Second
	rs := newReplicas(t, srv.addr(), 2, runtime.WithFailureThreshold(1), runtime.WithCooldown(cooldown))
	call(t, rs[0].cb, true)
	allState(t, rs, 200*time.Millisecond, runtime.Open)
	time.Sleep(300 * time.Millisecond)
	late := newReplica(t, srv.addr(), "late", runtime.WithCooldown(cooldown))
	eventually(t, 200*time.Millisecond, "late joiner open", func() bool { return late.cb.Stats().State == runtime.Open })
	left := rs[0].cb.Stats().RetryAfter
	got := late.cb.Stats().RetryAfter
	if d := got - left; d < -50*time.Millisecond || d > 50*time.Millisecond || got > 700*time.Millisecond {
		t.Errorf("late joiner RetryAfter %v, the others' %v: want the remaining cooldown", got, left)
	}
	if call(t, late.cb, false) {
		t.Error("late joiner let a call through while the others are open")
	}
}

// Claim 7: ForceOpen on one replica process opens every replica until
// Reset on another closes them all.
func TestForceOpenAndResetReachEveryReplica(t *testing.T) {
	srv := startRedis(t)
	var ps []*proc
	for i := range 3 {
		ps = append(ps, startProc(t, "p"+strconv.Itoa(i), "REDISSTORE_SHARE=1", "REDISSTORE_ADDR="+srv.addr(),
			"REDISSTORE_THRESHOLD=5", "REDISSTORE_COOLDOWN=50ms"))
	}
	for _, p := range ps {
		p.ask("state")
	}
	waitSubscribed(t, srv.addr(), 3)
	ps[0].ask("forceopen")
	for i, p := range ps {
		eventually(t, 200*time.Millisecond, fmt.Sprintf("process %d open", i), func() bool { return p.ask("state") == "open" })
	}
	time.Sleep(100 * time.Millisecond) // two cooldowns: forced open stays open
	for i, p := range ps {
		if got := p.ask("call ok"); got != "rejected" {
			t.Fatalf("process %d: call %s while forced open", i, got)
		}
	}
	ps[2].ask("reset")
	for i, p := range ps {
		eventually(t, 200*time.Millisecond, fmt.Sprintf("process %d closed", i), func() bool { return p.ask("state") == "closed" })
	}
}

// A forced opening lasts until Reset, however long: its record does not
// expire with RecordTTL, and a replica that starts later is open too.
func TestForcedOpeningOutlivesRecordTTL(t *testing.T) {
	srv := startRedis(t)
	const ttl = 200 * time.Millisecond
	replica := func(name string) (*Store, *runtime.Breaker) {
		s, err := New(newClient(t, srv.addr()), Options{Prefix: testPrefix, Replica: name, RecordTTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, runtime.New("agent", shared.WithStore(s))
	}
	_, first := replica("r0")
	waitSubscribed(t, srv.addr(), 1)
	first.ForceOpen()
	key := testPrefix + ":{agent}:state"
	c := newClient(t, srv.addr())
	eventually(t, time.Second, "the forced record in Redis", func() bool { return c.HGet(t.Context(), key, "f").Val() == "1" })
	time.Sleep(2 * ttl) // what does not happen has no event to wait for
	if pttl := c.PTTL(t.Context(), key).Val(); pttl != -1 {
		t.Fatalf("the forced record's TTL is %v, want none", pttl)
	}
	late, cb := replica("late")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := shared.Ready(ctx, late); err != nil {
		t.Fatal(err)
	}
	if s := cb.Stats().State; s != runtime.Open {
		t.Fatalf("a replica that starts %v after ForceOpen is %v, want open", 2*ttl, s)
	}
	cb.Reset()
	eventually(t, time.Second, "the first replica closed", func() bool { return first.Stats().State == runtime.Closed })
	if pttl := c.PTTL(t.Context(), key).Val(); pttl < 0 {
		t.Fatalf("the record after Reset has TTL %v, want RecordTTL", pttl)
	}
}

// Claim 8: bad input fails at construction with a clear error; at run
// time every kind of store error (a key the scripts cannot read is not
// one: see TestBrokenKeyHarmsOnlyItsBreaker) leaves the breakers local
// and degraded, and no call fails because of it; once the store serves
// again (the permission granted, the pause over), they share again.
func TestBadInput(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer client.Close()
	for _, c := range []struct {
		name   string
		client redis.UniversalClient
		opts   Options
		want   string
	}{
		{"nil client", nil, Options{Prefix: "p"}, "redisstore.New: nil client"},
		{"nil *redis.Client", (*redis.Client)(nil), Options{Prefix: "p"}, "redisstore.New: nil client"},
		{"empty prefix", client, Options{}, "redisstore.New: empty Options.Prefix"},
		{"negative TTL", client, Options{Prefix: "p", RecordTTL: -1}, "redisstore.New: negative duration"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(c.client, c.opts)
			if err == nil || s != nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("New = %v, %v; want an error starting %q", s, err, c.want)
			}
		})
	}

	srv := startRedis(t)
	if err := srv.do("ACL", "SETUSER", "noscripts", "on", ">pw", "~*", "&*", "+@all", "-eval", "-evalsha"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		setup func(t *testing.T) *redis.Client
		// serve makes the store serve again; nil: it never does.
		serve func(t *testing.T)
	}{
		{"unreachable", func(t *testing.T) *redis.Client { return newClient(t, "127.0.0.1:1") }, nil},
		{"no permission", func(t *testing.T) *redis.Client {
			c := redis.NewClient(&redis.Options{Addr: srv.addr(), Username: "noscripts", Password: "pw", ContextTimeoutEnabled: true})
			t.Cleanup(func() { c.Close() })
			return c
		}, func(t *testing.T) {
			if err := srv.do("ACL", "SETUSER", "noscripts", "+eval", "+evalsha"); err != nil {
				t.Fatal(err)
			}
		}},
		{"paused", func(t *testing.T) *redis.Client {
			srv.do("CLIENT", "PAUSE", "1000", "ALL")
			return newClient(t, srv.addr())
		}, func(*testing.T) {}},
		{"closed store", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv.do("FLUSHALL")
			var client *redis.Client
			if c.setup != nil {
				client = c.setup(t)
			} else {
				client = newClient(t, srv.addr())
			}
			s, err := New(client, Options{Prefix: testPrefix})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if c.setup == nil {
				s.Close()
			}
			cb := runtime.New("agent", shared.WithStore(s), runtime.WithFailureThreshold(2), runtime.WithCooldown(20*time.Millisecond))
			for range 2 {
				if !call(t, cb, true) {
					t.Fatal("closed breaker rejected a call")
				}
			}
			start := time.Now()
			if call(t, cb, false) {
				t.Fatal("open breaker let a call through")
			}
			eventually(t, 3*time.Second, "degraded", func() bool { return !cb.Stats().DegradedSince.IsZero() })
			// The cooldown's timer ends the rejections; under the race
			// detector on a loaded machine it may run late.
			eventually(t, 2*time.Second, "the probe to go through locally", func() bool { return call(t, cb, false) })
			if cb.Stats().State != runtime.Closed {
				t.Fatal("the probe did not close the breaker")
			}
			if d := time.Since(start); d > time.Second && c.name != "paused" {
				t.Logf("note: %v to degrade", d)
			}
			if c.serve == nil {
				return
			}
			c.serve(t)
			// The retries come at most 5s apart.
			eventually(t, 7*time.Second, "sharing again", func() bool { return cb.Stats().DegradedSince.IsZero() })
			// A trip is shared again: the store has the opening.
			call(t, cb, true)
			call(t, cb, true)
			eventually(t, time.Second, "the store has the opening", func() bool {
				rec, err := s.Load(t.Context(), "agent")
				return err == nil && rec.State == runtime.Open
			})
		})
	}
}
