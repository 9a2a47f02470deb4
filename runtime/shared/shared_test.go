package shared

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// The unit tests of sharing run replicas against memServer with a fake
// clock; the claims about Redis are proved in the redisstore module
// against a real redis-server.

// eventually polls cond until it holds, failing the test after 2s. The
// breakers talk to their Store in the background, so the tests wait for
// it, never for the clock.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

type replicaSet struct {
	clk  *breakertest.Clock
	srv  *memServer
	cbs  []*runtime.Breaker
	sts  []*memStore
	mu   sync.Mutex
	seen []runtime.Transition
}

// newReplicas returns n breakers named "agent" sharing a memServer, each
// through its own memStore named r0, r1, ..., all on one fake clock.
func newReplicas(t *testing.T, n int, opts ...runtime.Option) *replicaSet {
	return newReplicaSet(t, n, func(m *memStore) Store { return m }, opts...)
}

// newEvidenceReplicas is newReplicas with stores that sum failure
// evidence.
func newEvidenceReplicas(t *testing.T, n int, opts ...runtime.Option) *replicaSet {
	return newReplicaSet(t, n, func(m *memStore) Store { return memEvidence{m} }, opts...)
}

func newReplicaSet(t *testing.T, n int, store func(*memStore) Store, opts ...runtime.Option) *replicaSet {
	rs := &replicaSet{clk: breakertest.NewClock(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC))}
	rs.srv = newMemServer(rs.clk.Now)
	for i := range n {
		st := rs.srv.client("r" + string(rune('0'+i)))
		rs.sts = append(rs.sts, st)
		o := append([]runtime.Option{WithStore(store(st)), breakertest.WithClock(rs.clk.Now), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Second),
			runtime.WithOnTransition(func(tr runtime.Transition) {
				rs.mu.Lock()
				rs.seen = append(rs.seen, tr)
				rs.mu.Unlock()
			})}, opts...)
		rs.cbs = append(rs.cbs, runtime.New("agent", o...))
	}
	for _, st := range rs.sts {
		t.Cleanup(st.Close)
	}
	// Every replica is subscribed and has loaded its record (one Watch
	// and one Load each) before the test starts.
	eventually(t, "every replica watching", func() bool {
		rs.srv.mu.Lock()
		defer rs.srv.mu.Unlock()
		return len(rs.srv.watchers) == n && rs.srv.ops == 2*n
	})
	return rs
}

func (rs *replicaSet) transitions() []runtime.Transition {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]runtime.Transition(nil), rs.seen...)
}

func fail(cb *runtime.Breaker) error {
	p, err := cb.Allow()
	if err != nil {
		return err
	}
	p.Done(errDown)
	return nil
}

func succeed(cb *runtime.Breaker) error {
	p, err := cb.Allow()
	if err != nil {
		return err
	}
	p.Done(nil)
	return nil
}

func TestSharedOpeningIsAdoptedAsRemote(t *testing.T) {
	var buf syncBuffer
	rs := newReplicas(t, 3, runtime.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	rs.clk.Advance(100 * time.Millisecond)
	if err := fail(rs.cbs[0]); err != nil {
		t.Fatal(err)
	}
	for i, cb := range rs.cbs {
		eventually(t, "replica open", func() bool { return cb.Stats().State == runtime.Open })
		_, err := cb.Allow()
		var cbe *runtime.CircuitBreakerError
		if !errors.As(err, &cbe) || cbe.RetryAfter() != time.Second {
			t.Fatalf("replica %d: Allow = %v, want open with the whole cooldown left", i, err)
		}
	}
	eventually(t, "three transitions reported", func() bool { return len(rs.transitions()) == 3 })
	var remote int
	for _, tr := range rs.transitions() {
		if tr.To != runtime.Open {
			t.Fatalf("unexpected transition %+v", tr)
		}
		if tr.Origin != "" {
			remote++
			if tr.Origin != "r0" {
				t.Errorf("remote transition %+v: origin should be r0", tr)
			}
		}
	}
	if remote != 2 {
		t.Errorf("%d remote transitions, want 2: %+v", remote, rs.transitions())
	}
	// The logger is an observer of its own, called after the one that
	// records transitions: wait for its lines too.
	eventually(t, "two remote log lines", func() bool {
		return strings.Count(buf.String(), "remote=true origin=r0") == 2
	})
}

func TestSharedAdoptsTheRemainingCooldown(t *testing.T) {
	rs := newReplicas(t, 2)
	fail(rs.cbs[0])
	eventually(t, "replica 1 open", func() bool { return rs.cbs[1].Stats().State == runtime.Open })
	rs.clk.Advance(400 * time.Millisecond)
	// A replica started now learns the opening with 600ms left.
	late := runtime.New("agent", WithStore(rs.srv.client("late")), breakertest.WithClock(rs.clk.Now), runtime.WithCooldown(time.Second))
	eventually(t, "late joiner open", func() bool { return late.Stats().State == runtime.Open })
	if got := late.Stats().RetryAfter; got != 600*time.Millisecond {
		t.Errorf("late joiner RetryAfter = %v, want 600ms", got)
	}
}

func TestSharedProbeIsTakenByOneReplica(t *testing.T) {
	rs := newReplicas(t, 3, runtime.WithHalfOpenProbes(2, 2))
	fail(rs.cbs[0])
	for _, cb := range rs.cbs {
		eventually(t, "replica open", func() bool { return cb.Stats().State == runtime.Open })
	}
	rs.clk.Advance(time.Second)
	var admitted atomic.Int64
	var permits sync.Map
	// Calls keep coming on every replica until the lease is decided and
	// the holder has taken its probes.
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		hammer(3*8, func(g int) {
			if p, err := rs.cbs[g%3].Allow(); err == nil {
				admitted.Add(1)
				permits.Store(&p, g%3)
			}
		})
		time.Sleep(time.Millisecond)
	}
	if n := admitted.Load(); n != 2 {
		t.Fatalf("%d probes admitted across replicas, want 2", n)
	}
	holders := map[int]bool{}
	permits.Range(func(_, v any) bool { holders[v.(int)] = true; return true })
	if len(holders) != 1 {
		t.Fatalf("probes admitted by replicas %v, want one replica", holders)
	}
	permits.Range(func(k, _ any) bool { k.(*runtime.Permit).Done(nil); return true })
	for _, cb := range rs.cbs {
		eventually(t, "replica closed", func() bool { return cb.Stats().State == runtime.Closed })
	}
}

// A replica that another's lease refused asks again when that lease runs
// out, not a whole lease later: a holder that dies (here, its Store
// closes, so it stops renewing) delays the next probe by what was left
// of its lease.
func TestSharedDeniedReplicaAsksWhenTheLeaseRunsOut(t *testing.T) {
	rs := newReplicas(t, 2)
	fail(rs.cbs[0])
	eventually(t, "replica 1 open", func() bool { return rs.cbs[1].Stats().State == runtime.Open })
	rs.clk.Advance(time.Second) // the cooldown is over
	defer admitted(t, rs.cbs[0], "replica 0 probes").Done(nil)
	rs.sts[0].Close()                      // the holder dies: its 1s lease is no longer renewed
	rs.clk.Advance(600 * time.Millisecond) // 400ms of the lease left
	refused := rs.srv.opCount() + 1        // replica 1's Acquire
	if _, err := rs.cbs[1].Allow(); err == nil {
		t.Fatal("replica 1 probes while replica 0 holds the lease")
	}
	eventually(t, "replica 1 refused the lease", func() bool { return rs.srv.opCount() >= refused })
	rs.clk.Advance(450 * time.Millisecond) // the lease has run out
	admitted(t, rs.cbs[1], "replica 1 probes once the lease ran out").Done(nil)
}

// admitted calls cb.Allow until it admits a call, and returns its permit.
func admitted(t *testing.T, cb *runtime.Breaker, what string) *runtime.Permit {
	t.Helper()
	var p runtime.Permit
	eventually(t, what, func() bool {
		var err error
		p, err = cb.Allow()
		return err == nil
	})
	return &p
}

// A replica whose own opening is still on its way to the Store when its
// cooldown ends does not probe alone meanwhile: it waits for the Store's
// answer, and, the others following its opening, probes with the lease.
func TestSharedOriginWaitsForItsOpeningBeforeProbing(t *testing.T) {
	rs := newReplicas(t, 2)
	rs.srv.mu.Lock()
	rs.srv.publishDelay = 300 * time.Millisecond
	rs.srv.mu.Unlock()
	fail(rs.cbs[0])
	rs.clk.Advance(time.Second) // the cooldown is over; the opening is not in the Store yet
	if p, err := rs.cbs[0].Allow(); err == nil {
		p.Done(nil)
		t.Fatal("replica 0 probed while its opening was on its way to the Store")
	}
	eventually(t, "the opening adopted by replica 1", func() bool { return rs.cbs[1].Stats().State == runtime.Open })
	defer admitted(t, rs.cbs[0], "replica 0 probes").Done(nil)
	rs.srv.mu.Lock()
	defer rs.srv.mu.Unlock()
	if l := rs.srv.leases["agent"]; l.holder != "r0" {
		t.Errorf("the probe lease is held by %q, want replica 0, which probes", l.holder)
	}
}

func TestSharedFailedProbeReopensAllWithBackoff(t *testing.T) {
	rs := newReplicas(t, 2, runtime.WithBackoff(2, time.Minute, 0))
	fail(rs.cbs[0])
	eventually(t, "replica 1 open", func() bool { return rs.cbs[1].Stats().State == runtime.Open })
	rs.clk.Advance(time.Second)
	var holder *runtime.Breaker
	eventually(t, "a probe admitted", func() bool {
		for _, cb := range rs.cbs {
			if p, err := cb.Allow(); err == nil {
				holder = cb
				p.Done(errDown)
				return true
			}
		}
		return false
	})
	for _, cb := range rs.cbs {
		eventually(t, "reopened with the backed-off cooldown", func() bool {
			st := cb.Stats()
			return st.State == runtime.Open && st.Cooldown == 2*time.Second && st.RetryAfter == 2*time.Second
		})
	}
	_ = holder
	// The next cooldown after another failed probe doubles again: the
	// reopenings are counted cluster-wide.
	rs.clk.Advance(2 * time.Second)
	eventually(t, "a second probe admitted", func() bool {
		for _, cb := range rs.cbs {
			if p, err := cb.Allow(); err == nil {
				p.Done(errDown)
				return true
			}
		}
		return false
	})
	for _, cb := range rs.cbs {
		eventually(t, "reopened with 4s", func() bool { return cb.Stats().Cooldown == 4*time.Second })
	}
}

func TestSharedQuorum(t *testing.T) {
	rs := newReplicas(t, 3, WithQuorum(2))
	fail(rs.cbs[0])
	eventually(t, "replica 0 open", func() bool { return rs.cbs[0].Stats().State == runtime.Open })
	eventually(t, "the vote recorded", func() bool {
		rs.srv.mu.Lock()
		defer rs.srv.mu.Unlock()
		return len(rs.srv.votes["agent"]) == 1
	})
	for i, cb := range rs.cbs[1:] {
		if err := succeed(cb); err != nil {
			t.Fatalf("replica %d rejected a call after one replica opened alone: %v", i+1, err)
		}
	}
	// The second replica's opening makes the quorum: the third adopts it.
	rs.clk.Advance(100 * time.Millisecond)
	fail(rs.cbs[1])
	eventually(t, "replica 2 open", func() bool { return rs.cbs[2].Stats().State == runtime.Open })
	if got := rs.cbs[2].Stats().RetryAfter; got != time.Second {
		t.Errorf("replica 2 RetryAfter = %v, want the second opening's 1s", got)
	}
}

func TestSharedForceOpenAndReset(t *testing.T) {
	rs := newReplicas(t, 3)
	rs.cbs[1].ForceOpen()
	for _, cb := range rs.cbs {
		eventually(t, "forced open everywhere", func() bool { return cb.Stats().State == runtime.Open })
	}
	rs.clk.Advance(time.Hour)
	for i, cb := range rs.cbs {
		if st := cb.Stats().State; st != runtime.Open {
			t.Fatalf("replica %d: %v an hour after ForceOpen, want open until Reset", i, st)
		}
	}
	rs.cbs[2].Reset()
	for _, cb := range rs.cbs {
		eventually(t, "reset everywhere", func() bool { return cb.Stats().State == runtime.Closed && succeed(cb) == nil })
	}
}

func TestSharedDegradedWorksLocally(t *testing.T) {
	var buf syncBuffer
	rs := newReplicas(t, 2, runtime.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	rs.srv.setDown(errors.New("connection refused"))
	// The first store operation fails: the breaker opens locally all the same.
	if err := fail(rs.cbs[0]); err != nil {
		t.Fatal(err)
	}
	if rs.cbs[0].Stats().State != runtime.Open {
		t.Fatal("breaker did not open with its store down")
	}
	eventually(t, "degraded", func() bool { return !rs.cbs[0].Stats().DegradedSince.IsZero() })
	st := rs.cbs[0].Stats()
	if st.DegradedSince.IsZero() || time.Since(st.DegradedSince) > time.Minute {
		t.Errorf("DegradedSince = %v", st.DegradedSince)
	}
	// Locally, without the lease, the probe goes through.
	rs.clk.Advance(time.Second)
	if err := succeed(rs.cbs[0]); err != nil {
		t.Fatalf("probe while degraded: %v", err)
	}
	if rs.cbs[0].Stats().State != runtime.Closed {
		t.Fatal("probe did not close the breaker")
	}
	rs.srv.setDown(nil)
	eventually(t, "recovered", func() bool {
		return rs.cbs[0].Stats().DegradedSince.IsZero() && rs.cbs[1].Stats().DegradedSince.IsZero() &&
			strings.Count(buf.String(), "breaker store available again") == 2
	})
	out := buf.String()
	if n := strings.Count(out, "breaker store unavailable"); n != 2 { // once per replica's logger
		t.Errorf("%d unavailable lines, want one per replica:\n%s", n, out)
	}
	if n := strings.Count(out, "breaker store available again"); n != 2 {
		t.Errorf("%d available-again lines, want one per replica:\n%s", n, out)
	}
	// Sharing resumed.
	fail(rs.cbs[1])
	eventually(t, "replica 0 adopts after recovery", func() bool { return rs.cbs[0].Stats().State == runtime.Open })
}

func TestSharedClosedPathNeverTouchesTheStore(t *testing.T) {
	rs := newReplicas(t, 2, runtime.WithFailureThreshold(5))
	before := rs.srv.opCount()
	cb := rs.cbs[0]
	allocs := testing.AllocsPerRun(1000, func() {
		p, _ := cb.Allow()
		p.Done(nil)
		p, _ = cb.Allow()
		p.Done(errDown) // counted, below the threshold
		p, _ = cb.Allow()
		p.Done(nil)
	})
	if allocs != 0 {
		t.Errorf("closed path allocates %v per run with a store", allocs)
	}
	if n := rs.srv.opCount() - before; n != 0 {
		t.Errorf("closed calls made %d store operations", n)
	}
}

func TestSharedStoreClosed(t *testing.T) {
	srv := newMemServer(time.Now)
	st := srv.client("solo")
	cb := runtime.New("agent", WithStore(st), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Millisecond))
	st.Close()
	eventually(t, "degraded after Close", func() bool { return !cb.Stats().DegradedSince.IsZero() })
	fail(cb)
	// A timer ends the cooldown: wait for it rather than for the clock.
	eventually(t, "a local probe after the cooldown", func() bool { return succeed(cb) == nil })
	if s := cb.Stats().State; s != runtime.Closed {
		t.Fatalf("breaker of a closed store is %v after its local probe succeeded, want closed", s)
	}
}

// syncBuffer is a bytes.Buffer safe for the loggers of several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.String()
}

var errDown = errors.New("down")

// hammer runs body on n goroutines released at once, and waits for them.
func hammer(n int, body func(g int)) {
	var start, wg sync.WaitGroup
	start.Add(1)
	for g := range n {
		wg.Go(func() {
			start.Wait()
			body(g)
		})
	}
	start.Done()
	wg.Wait()
}

// TestSharedKeyDownDegradesOnlyItsBreaker fails the Store for one key, as
// a Redis Cluster does for the slots of a master that is down: that key's
// breaker works locally and says so, once, while the other breaker of the
// same Store stays healthy and keeps sharing; when the key answers again,
// its breaker's opening reaches the other replica.
func TestSharedKeyDownDegradesOnlyItsBreaker(t *testing.T) {
	var buf syncBuffer
	logger := runtime.WithLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	rs := newReplicas(t, 2, logger)
	var broken []*runtime.Breaker
	for _, st := range rs.sts {
		broken = append(broken, runtime.New("broken", WithStore(st), breakertest.WithClock(rs.clk.Now),
			runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Second), logger))
		if err := Ready(t.Context(), st); err != nil {
			t.Fatal(err)
		}
	}
	rs.srv.setKeyDown("broken", errors.New("CLUSTERDOWN Hash slot not served"))
	fail(broken[0])
	eventually(t, "the broken key's breaker degraded and logged", func() bool {
		return !broken[0].Stats().DegradedSince.IsZero() && strings.Contains(buf.String(), "unavailable for this breaker's key")
	})
	if broken[0].Stats().State != runtime.Open || broken[1].Stats().State != runtime.Closed {
		t.Fatalf("broken: %v and %v, want open locally and closed", broken[0].Stats().State, broken[1].Stats().State)
	}
	for i, cb := range rs.cbs {
		if !cb.Stats().DegradedSince.IsZero() {
			t.Fatalf("replica %d: the healthy breaker is degraded", i)
		}
	}
	fail(rs.cbs[0])
	eventually(t, "the healthy breaker's opening shared", func() bool { return rs.cbs[1].Stats().State == runtime.Open })

	rs.srv.setKeyDown("broken", nil)
	eventually(t, "the broken key's breaker shares again", func() bool {
		return broken[0].Stats().DegradedSince.IsZero() && broken[1].Stats().State == runtime.Open
	})
	eventually(t, "recovery logged", func() bool { return strings.Contains(buf.String(), "available again for this breaker's key") })
	out := buf.String()
	if n := strings.Count(out, "unavailable for this breaker's key"); n != 1 || !strings.Contains(out, "breaker=broken") {
		t.Errorf("%d key-unavailable lines, want one naming breaker=broken:\n%s", n, out)
	}
	if strings.Contains(out, "breaker store unavailable:") {
		t.Errorf("the whole Store was declared unavailable:\n%s", out)
	}
}

// With the keys of two breakers down, as when both hash to a Redis
// Cluster master that is down, the Store stays healthy for a third:
// the sync loop's witness of the Store's health is not only a breaker
// whose key fails too.
func TestSharedTwoKeysDownLeaveTheStoreHealthy(t *testing.T) {
	for trial := range 6 {
		srv := newMemServer(time.Now)
		st := srv.client("r0")
		var cbs []*runtime.Breaker
		for _, name := range []string{"x", "y", "z"} {
			cbs = append(cbs, runtime.New(name, WithStore(st), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute)))
		}
		if err := Ready(t.Context(), st); err != nil {
			t.Fatal(err)
		}
		down := errors.New("CLUSTERDOWN Hash slot not served")
		srv.setKeyDown("x", down)
		srv.setKeyDown("y", down)
		fail(cbs[0])
		eventually(t, "x degraded", func() bool { return !cbs[0].Stats().DegradedSince.IsZero() })
		// The sync loop retries x, and its witnesses, after 50ms and
		// 100ms more: z stays healthy through both rounds.
		for deadline := time.Now().Add(200 * time.Millisecond); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if since := cbs[2].Stats().DegradedSince; !since.IsZero() {
				t.Fatalf("trial %d: z, whose key answers, degraded since %v", trial, since)
			}
		}
		st.Close()
	}
}
