package breakerotel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
)

// fakeClock moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	errBoom     = errors.New("boom")
	errCanceled = fmt.Errorf("caller left: %w", context.Canceled)
)

// call makes one call through b that takes d on clk and returns err; it
// reports whether the call was admitted.
func call(b *runtime.Breaker, clk *fakeClock, d time.Duration, err error) bool {
	p, aerr := b.Allow()
	if aerr != nil {
		return false
	}
	defer p.Release()
	clk.Advance(d)
	p.Done(err)
	return true
}

func must(t *testing.T, ok bool, step string) {
	t.Helper()
	if !ok {
		t.Fatalf("%s did not happen", step)
	}
}

// setup returns Metrics on a meter of an SDK with a manual reader.
func setup(t *testing.T) (*Metrics, *sdkmetric.ManualReader) {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { provider.Shutdown(context.Background()) })
	m, err := NewMetrics(provider.Meter("breakerotel-test"))
	if err != nil {
		t.Fatal(err)
	}
	return m, reader
}

// collect returns the metrics the reader collects, by name.
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			got[m.Name] = m
		}
	}
	return got
}

// point is one expected data point: a value and attributes as key, value
// pairs.
func point[N int64 | float64](v N, kv ...string) metricdata.DataPoint[N] {
	var attrs []attribute.KeyValue
	for i := 0; i < len(kv); i += 2 {
		attrs = append(attrs, attribute.String(kv[i], kv[i+1]))
	}
	return metricdata.DataPoint[N]{Attributes: attribute.NewSet(attrs...), Value: v}
}

// The instruments' descriptions and units, as NewMetrics creates them.
var (
	stateMetric       = metricdata.Metrics{Name: "breaker.state", Description: "State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open, forced_open: held open by ForceOpen), 0 for the others."}
	shadowMetric      = metricdata.Metrics{Name: "breaker.shadow", Description: "1 for a circuit breaker in shadow mode, which rejects nothing: its state is the one it would enforce; 0 otherwise."}
	callsMetric       = metricdata.Metrics{Name: "breaker.calls", Unit: "{call}", Description: "Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode."}
	slowMetric        = metricdata.Metrics{Name: "breaker.slow_calls", Unit: "{call}", Description: "Successful calls slower than the breaker's slow-call limit; they count as successes too."}
	transitionsMetric = metricdata.Metrics{Name: "breaker.transitions", Unit: "{transition}", Description: "State changes of the circuit breaker."}
	failureRateMetric = metricdata.Metrics{Name: "breaker.failure_ratio", Unit: "1", Description: "Share of the calls in the breaker's rate window that failed, from 0 to 1."}
	slowRateMetric    = metricdata.Metrics{Name: "breaker.slow_call_ratio", Unit: "1", Description: "Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1."}
	retryMetric       = metricdata.Metrics{Name: "breaker.retry_after", Unit: "s", Description: "Time until the open circuit admits a probe; 0 unless open."}
)

func gauge[N int64 | float64](m metricdata.Metrics, points ...metricdata.DataPoint[N]) metricdata.Metrics {
	m.Data = metricdata.Gauge[N]{DataPoints: points}
	return m
}

func counter(m metricdata.Metrics, points ...metricdata.DataPoint[int64]) metricdata.Metrics {
	m.Data = metricdata.Sum[int64]{DataPoints: points, Temporality: metricdata.CumulativeTemporality, IsMonotonic: true}
	return m
}

// compareAll checks that the collection holds exactly want, every data
// point of it.
func compareAll(t *testing.T, step string, got map[string]metricdata.Metrics, want ...metricdata.Metrics) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d instruments reported, want %d", step, len(got), len(want))
	}
	for _, w := range want {
		if !metricdatatest.AssertEqual(t, w, got[w.Name], metricdatatest.IgnoreTimestamp()) {
			t.Errorf("%s: %s differs", step, w.Name)
		}
	}
}

// transitions returns the data points of the five possible transitions of
// breaker name, with counts in the order closed>open, open>half-open,
// half-open>closed, half-open>open, open>closed.
func transitions(name string, co, oh, hc, ho, oc int64) []metricdata.DataPoint[int64] {
	return []metricdata.DataPoint[int64]{
		point(co, "breaker", name, "from", "closed", "to", "open"),
		point(oh, "breaker", name, "from", "open", "to", "half-open"),
		point(hc, "breaker", name, "from", "half-open", "to", "closed"),
		point(ho, "breaker", name, "from", "half-open", "to", "open"),
		point(oc, "breaker", name, "from", "open", "to", "closed"),
	}
}

// statePoints returns the one-hot state data points of breaker name, on
// being the state at 1: closed, open, half-open or forced_open.
func statePoints(name, on string) []metricdata.DataPoint[int64] {
	var points []metricdata.DataPoint[int64]
	for _, st := range []string{"closed", "open", "half-open", "forced_open"} {
		var v int64
		if st == on {
			v = 1
		}
		points = append(points, point(v, "breaker", name, "state", st))
	}
	return points
}

func calls(name string, success, failure, ignored, rejected int64) []metricdata.DataPoint[int64] {
	return []metricdata.DataPoint[int64]{
		point(success, "breaker", name, "outcome", "success"),
		point(failure, "breaker", name, "outcome", "failure"),
		point(ignored, "breaker", name, "outcome", "ignore"),
		point(rejected, "breaker", name, "outcome", "rejected"),
	}
}

// TestCollectEveryState drives a breaker through every state, forced open
// included, with a fake clock and compares every data point the SDK
// collects at each step.
func TestCollectEveryState(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cb := runtime.New("agent-7", breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(2), runtime.WithCooldown(10*time.Second))
	m, reader := setup(t)
	m.Add(cb)
	const name = "agent-7"
	slow := counter(slowMetric, point[int64](0, "breaker", name))
	threshold := gauge(consecutiveThresholdMetric, point[int64](2, "breaker", name))
	step := func(step, state string, g gauges, calls, transitions []metricdata.DataPoint[int64]) {
		t.Helper()
		g.name, g.cooldown = name, 10
		compareAll(t, step, collect(t, reader), append(everyBreaker(g),
			gauge(stateMetric, statePoints(name, state)...), threshold, slow,
			counter(callsMetric, calls...), counter(transitionsMetric, transitions...))...)
	}

	for range 3 {
		must(t, call(cb, clk, 0, nil), "a success")
	}
	must(t, call(cb, clk, 0, errCanceled), "an ignored call")
	must(t, call(cb, clk, 0, errBoom), "a failure")
	step("closed", "closed", gauges{consecutive: 1}, calls(name, 3, 1, 1, 0), transitions(name, 0, 0, 0, 0, 0))

	must(t, call(cb, clk, 0, errBoom), "the failure that opens")
	must(t, !call(cb, clk, 0, nil), "a rejection")
	clk.Advance(3500 * time.Millisecond)
	step("open", "open", gauges{consecutive: 2, retry: 6.5}, calls(name, 3, 2, 1, 1), transitions(name, 1, 0, 0, 0, 0))

	clk.Advance(6500 * time.Millisecond)
	probe, err := cb.Allow()
	must(t, err == nil, "the probe")
	must(t, !call(cb, clk, 0, nil), "a rejection while the probe runs")
	step("half-open", "half-open", gauges{consecutive: 2, probes: 1}, calls(name, 3, 2, 1, 2), transitions(name, 1, 1, 0, 0, 0))

	probe.Done(errBoom)
	clk.Advance(10 * time.Second)
	must(t, call(cb, clk, 0, nil), "the probe that closes")
	cb.ForceOpen()
	// A forced circuit has no probe time: its retry time is WithCooldown's.
	step("forced open", "forced_open", gauges{retry: 10}, calls(name, 4, 3, 1, 2), transitions(name, 2, 2, 1, 1, 0))

	cb.Reset()
	step("closed again", "closed", gauges{}, calls(name, 4, 3, 1, 2), transitions(name, 2, 2, 1, 1, 1))
}

// TestCollectRatesShadowAndSet checks the instruments only some breakers
// have, and a Set whose breakers appear after registration.
func TestCollectRatesShadowAndSet(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, reader := setup(t)
	m.now = clk.Now
	agents := runtime.NewSet("agents",
		runtime.WithBreakerOptions(breakertest.WithClock(clk.Now), runtime.WithShadow()),
		runtime.WithKeyOptions(func(key string) []runtime.Option {
			if key == "windowed" {
				return []runtime.Option{runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.9)}
			}
			return []runtime.Option{runtime.WithFailureThreshold(1)}
		}))
	m.AddSet(agents)
	m.AddSet(agents)
	if got := collect(t, reader); len(got) != 0 {
		t.Fatalf("an empty Set reported %v", got)
	}

	windowed := agents.Get("windowed")
	must(t, call(windowed, clk, 2*time.Second, nil), "a slow success")
	must(t, call(windowed, clk, 0, errBoom), "a failure")
	must(t, call(windowed, clk, 0, nil), "a success")
	must(t, call(windowed, clk, 0, nil), "a success")
	shadow := agents.Get("shadow")
	must(t, call(shadow, clk, 0, errBoom), "the failure that opens")
	must(t, call(shadow, clk, 0, nil), "a call the shadow breaker would have rejected")
	m.Add(shadow) // also added alone: observed once

	const s, w = "agents/shadow", "agents/windowed"
	compareAll(t, "rates and shadow", collect(t, reader),
		append(everyBreaker(gauges{name: s, shadow: 1, consecutive: 1, retry: 30, cooldown: 30}, gauges{name: w, shadow: 1, cooldown: 30}),
			gauge(stateMetric, append(statePoints(s, "open"), statePoints(w, "closed")...)...),
			gauge(consecutiveThresholdMetric, point[int64](1, "breaker", s)),
			gauge(windowCallsMetric, point[int64](4, "breaker", w)),
			gauge(failureRatioThresholdMetric, point(0.5, "breaker", w)),
			gauge(slowRatioThresholdMetric, point(0.9, "breaker", w)),
			counter(callsMetric, append(append(calls(s, 0, 1, 0, 0), point[int64](1, "breaker", s, "outcome", "shadow_rejected")),
				append(calls(w, 3, 1, 0, 0), point[int64](0, "breaker", w, "outcome", "shadow_rejected"))...)...),
			counter(slowMetric, point[int64](0, "breaker", s), point[int64](1, "breaker", w)),
			counter(transitionsMetric, append(transitions(s, 1, 0, 0, 0, 0), transitions(w, 0, 0, 0, 0, 0)...)...),
			gauge(failureRateMetric, point(0.25, "breaker", w)),
			gauge(slowRateMetric, point(0.25, "breaker", w)))...)

	// A removed breaker's gauges disappear; its counters stay, at the
	// counts they reached, for retention, then disappear too.
	// Unregister stops the observations.
	agents.Remove("windowed")
	got := collect(t, reader)
	if n := len(got["breaker.retry_after"].Data.(metricdata.Gauge[float64]).DataPoints); n != 1 {
		t.Fatalf("after Remove: %v", got["breaker.retry_after"])
	}
	sCalls := append(calls(s, 0, 1, 0, 0), point[int64](1, "breaker", s, "outcome", "shadow_rejected"))
	wCalls := append(calls(w, 3, 1, 0, 0), point[int64](0, "breaker", w, "outcome", "shadow_rejected"))
	metricdatatest.AssertEqual(t, counter(callsMetric, append(sCalls, wCalls...)...), got["breaker.calls"], metricdatatest.IgnoreTimestamp())
	clk.Advance(retention + time.Second)
	got = collect(t, reader)
	metricdatatest.AssertEqual(t, counter(callsMetric, sCalls...), got["breaker.calls"], metricdatatest.IgnoreTimestamp())
	if n := len(m.streams); n != 1 {
		t.Fatalf("Metrics keeps %d names after retention, want 1", n)
	}
	if err := m.Unregister(); err != nil {
		t.Fatal(err)
	}
	if got := collect(t, reader); len(got) != 0 {
		t.Fatalf("after Unregister: %v", got)
	}
}
