package breakerprom

import (
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// The HELP and TYPE lines of each metric, as a scrape shows them.
const (
	stateHead = `# HELP breaker_state State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open, forced_open: held open by ForceOpen), 0 for the others.
# TYPE breaker_state gauge
`
	callsHead = `# HELP breaker_calls_total Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode.
# TYPE breaker_calls_total counter
`
	slowHead = `# HELP breaker_slow_calls_total Successful calls slower than the breaker's slow-call limit; they count as successes too.
# TYPE breaker_slow_calls_total counter
`
	transitionsHead = `# HELP breaker_transitions_total State changes of the circuit breaker.
# TYPE breaker_transitions_total counter
`
	failureRateHead = `# HELP breaker_failure_ratio Share of the calls in the breaker's rate window that failed, from 0 to 1.
# TYPE breaker_failure_ratio gauge
`
	slowRateHead = `# HELP breaker_slow_call_ratio Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1.
# TYPE breaker_slow_call_ratio gauge
`
	shadowHead = `# HELP breaker_shadow 1 for a breaker in shadow mode, which rejects nothing, 0 otherwise.
# TYPE breaker_shadow gauge
`
	retryHead = `# HELP breaker_retry_after_seconds Time until the open circuit admits a probe; 0 unless open.
# TYPE breaker_retry_after_seconds gauge
`
)

// compare checks the metrics named in want's HELP lines against want.
func compare(t *testing.T, c prometheus.Collector, step, want string) {
	t.Helper()
	var names []string
	for _, line := range strings.Split(want, "\n") {
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			names = append(names, strings.Fields(rest)[0])
		}
	}
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), names...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestCollectEveryState drives a breaker through every state with a fake
// clock and compares the exposition at each step.
func TestCollectEveryState(t *testing.T) {
	clk := newFakeClock()
	cb := runtime.New("agent-7", breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(2), runtime.WithCooldown(10*time.Second))
	c := NewCollector()
	c.Add(cb)

	for range 3 {
		must(call(cb, clk, 0, nil), "a success")
	}
	must(call(cb, clk, 0, errCanceled), "an ignored call")
	compare(t, c, "closed", stateHead+`breaker_state{breaker="agent-7",state="closed"} 1
breaker_state{breaker="agent-7",state="forced_open"} 0
breaker_state{breaker="agent-7",state="half-open"} 0
breaker_state{breaker="agent-7",state="open"} 0
`+callsHead+`breaker_calls_total{breaker="agent-7",outcome="failure"} 0
breaker_calls_total{breaker="agent-7",outcome="ignore"} 1
breaker_calls_total{breaker="agent-7",outcome="rejected"} 0
breaker_calls_total{breaker="agent-7",outcome="success"} 3
`+slowHead+`breaker_slow_calls_total{breaker="agent-7"} 0
`+transitionsHead+`breaker_transitions_total{breaker="agent-7",from="closed",to="open"} 0
breaker_transitions_total{breaker="agent-7",from="half-open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="half-open",to="open"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="half-open"} 0
`+retryHead+`breaker_retry_after_seconds{breaker="agent-7"} 0
`)

	must(call(cb, clk, 0, errBoom), "a failure")
	must(call(cb, clk, 0, errBoom), "the failure that opens")
	must(!call(cb, clk, 0, nil), "a rejection")
	clk.Advance(3500 * time.Millisecond)
	compare(t, c, "open", stateHead+`breaker_state{breaker="agent-7",state="closed"} 0
breaker_state{breaker="agent-7",state="forced_open"} 0
breaker_state{breaker="agent-7",state="half-open"} 0
breaker_state{breaker="agent-7",state="open"} 1
`+callsHead+`breaker_calls_total{breaker="agent-7",outcome="failure"} 2
breaker_calls_total{breaker="agent-7",outcome="ignore"} 1
breaker_calls_total{breaker="agent-7",outcome="rejected"} 1
breaker_calls_total{breaker="agent-7",outcome="success"} 3
`+transitionsHead+`breaker_transitions_total{breaker="agent-7",from="closed",to="open"} 1
breaker_transitions_total{breaker="agent-7",from="half-open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="half-open",to="open"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="half-open"} 0
`+retryHead+`breaker_retry_after_seconds{breaker="agent-7"} 6.5
`)

	// The cooldown ends; a probe is admitted and is still running.
	clk.Advance(6500 * time.Millisecond)
	probe, err := cb.Allow()
	must(err == nil, "the probe")
	must(!call(cb, clk, 0, nil), "a rejection while the probe runs")
	compare(t, c, "half-open", stateHead+`breaker_state{breaker="agent-7",state="closed"} 0
breaker_state{breaker="agent-7",state="forced_open"} 0
breaker_state{breaker="agent-7",state="half-open"} 1
breaker_state{breaker="agent-7",state="open"} 0
`+callsHead+`breaker_calls_total{breaker="agent-7",outcome="failure"} 2
breaker_calls_total{breaker="agent-7",outcome="ignore"} 1
breaker_calls_total{breaker="agent-7",outcome="rejected"} 2
breaker_calls_total{breaker="agent-7",outcome="success"} 3
`+transitionsHead+`breaker_transitions_total{breaker="agent-7",from="closed",to="open"} 1
breaker_transitions_total{breaker="agent-7",from="half-open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="half-open",to="open"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="closed"} 0
breaker_transitions_total{breaker="agent-7",from="open",to="half-open"} 1
`+retryHead+`breaker_retry_after_seconds{breaker="agent-7"} 0
`)

	// The probe fails and the circuit reopens; the next probe closes it.
	probe.Done(errBoom)
	clk.Advance(10 * time.Second)
	must(call(cb, clk, 0, nil), "the probe that closes")
	// An operator forces it open and resets it.
	cb.ForceOpen()
	cb.Reset()
	compare(t, c, "closed again", stateHead+`breaker_state{breaker="agent-7",state="closed"} 1
breaker_state{breaker="agent-7",state="forced_open"} 0
breaker_state{breaker="agent-7",state="half-open"} 0
breaker_state{breaker="agent-7",state="open"} 0
`+callsHead+`breaker_calls_total{breaker="agent-7",outcome="failure"} 3
breaker_calls_total{breaker="agent-7",outcome="ignore"} 1
breaker_calls_total{breaker="agent-7",outcome="rejected"} 2
breaker_calls_total{breaker="agent-7",outcome="success"} 4
`+transitionsHead+`breaker_transitions_total{breaker="agent-7",from="closed",to="open"} 2
breaker_transitions_total{breaker="agent-7",from="half-open",to="closed"} 1
breaker_transitions_total{breaker="agent-7",from="half-open",to="open"} 1
breaker_transitions_total{breaker="agent-7",from="open",to="closed"} 1
breaker_transitions_total{breaker="agent-7",from="open",to="half-open"} 2
`+retryHead+`breaker_retry_after_seconds{breaker="agent-7"} 0
`)
}

// TestCollectRatesAndShadow checks the metrics that only some breakers
// have: the window's rates, slow calls, and shadow mode.
func TestCollectRatesAndShadow(t *testing.T) {
	clk := newFakeClock()
	windowed := runtime.New("windowed", breakertest.WithClock(clk.Now),
		runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.9))
	must(call(windowed, clk, 2*time.Second, nil), "a slow success")
	must(call(windowed, clk, 0, errBoom), "a failure")
	must(call(windowed, clk, 0, nil), "a success")
	must(call(windowed, clk, 0, nil), "a success")

	shadow := runtime.New("shadow", breakertest.WithClock(clk.Now), runtime.WithShadow(), runtime.WithFailureThreshold(1))
	must(call(shadow, clk, 0, errBoom), "the failure that opens")
	must(call(shadow, clk, 0, nil), "a call the shadow breaker would have rejected")
	must(call(shadow, clk, 0, nil), "another")

	c := NewCollector()
	c.Add(windowed, shadow)
	compare(t, c, "rates and shadow", stateHead+`breaker_state{breaker="shadow",state="closed"} 0
breaker_state{breaker="shadow",state="forced_open"} 0
breaker_state{breaker="shadow",state="half-open"} 0
breaker_state{breaker="shadow",state="open"} 1
breaker_state{breaker="windowed",state="closed"} 1
breaker_state{breaker="windowed",state="forced_open"} 0
breaker_state{breaker="windowed",state="half-open"} 0
breaker_state{breaker="windowed",state="open"} 0
`+callsHead+`breaker_calls_total{breaker="shadow",outcome="failure"} 1
breaker_calls_total{breaker="shadow",outcome="ignore"} 0
breaker_calls_total{breaker="shadow",outcome="rejected"} 0
breaker_calls_total{breaker="shadow",outcome="shadow_rejected"} 2
breaker_calls_total{breaker="shadow",outcome="success"} 0
breaker_calls_total{breaker="windowed",outcome="failure"} 1
breaker_calls_total{breaker="windowed",outcome="ignore"} 0
breaker_calls_total{breaker="windowed",outcome="rejected"} 0
breaker_calls_total{breaker="windowed",outcome="success"} 3
`+slowHead+`breaker_slow_calls_total{breaker="shadow"} 0
breaker_slow_calls_total{breaker="windowed"} 1
`+transitionsHead+`breaker_transitions_total{breaker="shadow",from="closed",to="open"} 1
breaker_transitions_total{breaker="shadow",from="half-open",to="closed"} 0
breaker_transitions_total{breaker="shadow",from="half-open",to="open"} 0
breaker_transitions_total{breaker="shadow",from="open",to="closed"} 0
breaker_transitions_total{breaker="shadow",from="open",to="half-open"} 0
breaker_transitions_total{breaker="windowed",from="closed",to="open"} 0
breaker_transitions_total{breaker="windowed",from="half-open",to="closed"} 0
breaker_transitions_total{breaker="windowed",from="half-open",to="open"} 0
breaker_transitions_total{breaker="windowed",from="open",to="closed"} 0
breaker_transitions_total{breaker="windowed",from="open",to="half-open"} 0
`+failureRateHead+`breaker_failure_ratio{breaker="windowed"} 0.25
`+slowRateHead+`breaker_slow_call_ratio{breaker="windowed"} 0.25
`+retryHead+`breaker_retry_after_seconds{breaker="shadow"} 30
breaker_retry_after_seconds{breaker="windowed"} 0
`+shadowHead+`breaker_shadow{breaker="shadow"} 1
breaker_shadow{breaker="windowed"} 0
`)
}

// TestCollectSet checks that a Set's breakers created after registration
// appear, removed ones disappear, and a breaker added both alone and
// through its Set is exported once.
func TestCollectSet(t *testing.T) {
	agents := runtime.NewSet("agents")
	c := NewCollector()
	c.AddSet(agents)
	c.AddSet(agents)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	count := func() int {
		n, err := testutil.GatherAndCount(reg, "breaker_retry_after_seconds")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("%d breakers before any Get", n)
	}
	agents.Get("alpha")
	c.Add(agents.Get("bravo"))
	if n := count(); n != 2 {
		t.Fatalf("%d breakers after two Gets, want 2", n)
	}
	agents.Remove("alpha")
	if n := count(); n != 1 {
		t.Fatalf("%d breakers after Remove, want 1", n)
	}
	if len(c.labels) != 1 {
		t.Fatalf("the Collector keeps the labels of %d breakers after Remove, want 1", len(c.labels))
	}
	compare(t, c, "a Set's breaker", retryHead+`breaker_retry_after_seconds{breaker="agents/bravo"} 0
`)
}

// TestLint checks the exposition of breakers of every kind against the
// Prometheus naming and exposition conventions.
func TestLint(t *testing.T) {
	clk := newFakeClock()
	c := NewCollector()
	c.Add(
		runtime.New("plain"),
		runtime.New("shadow", runtime.WithShadow()),
		runtime.New("windowed", breakertest.WithClock(clk.Now), runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.5)),
	)
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestInvalidName checks that a name that is not UTF-8 is made valid for
// its label, that an empty one is reported as Unnamed, and that two names
// made the same label are one series and a skipped duplicate, never a
// failed scrape.
func TestInvalidName(t *testing.T) {
	c := NewCollector()
	c.Add(runtime.New("bad\xff"), runtime.New("bad\xfe"), runtime.New(""))
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	want := retryHead + `breaker_retry_after_seconds{breaker="(unnamed)"} 0
breaker_retry_after_seconds{breaker="bad�"} 0
# HELP breaker_duplicate_names_skipped Breakers not exported at this scrape because another breaker of the same name was: a Set's current breaker wins over a single one.
# TYPE breaker_duplicate_names_skipped gauge
breaker_duplicate_names_skipped 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "breaker_retry_after_seconds", "breaker_duplicate_names_skipped"); err != nil {
		t.Fatal(err)
	}
}
