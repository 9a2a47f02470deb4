package breakerotel

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/breakergen/breakergen/runtime/shared"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// The descriptions and units of the gauges that show a breaker getting
// close to tripping, and of shared mode's degraded state.
var (
	consecutiveMetric = metricdata.Metrics{Name: "breaker.consecutive_failures", Unit: "{failure}",
		Description: "Failures in a row since the last success."}
	consecutiveThresholdMetric = metricdata.Metrics{Name: "breaker.consecutive_failures_threshold", Unit: "{failure}",
		Description: "The consecutive failures at which the circuit opens (WithFailureThreshold)."}
	windowCallsMetric = metricdata.Metrics{Name: "breaker.window_calls", Unit: "{call}",
		Description: "Successes and failures in the breaker's rate window (WithFailureRate)."}
	failureRatioThresholdMetric = metricdata.Metrics{Name: "breaker.failure_ratio_threshold",
		Description: "The failure share of the window at which the circuit opens (WithFailureRate), from 0 to 1."}
	slowRatioThresholdMetric = metricdata.Metrics{Name: "breaker.slow_call_ratio_threshold",
		Description: "The slow share of the window at which the circuit opens (WithSlowCalls), from 0 to 1."}
	cooldownMetric = metricdata.Metrics{Name: "breaker.cooldown", Unit: "s",
		Description: "The cooldown of the latest opening, which WithBackoff lengthens; WithCooldown's if the circuit has not opened since it last closed."}
	probesMetric = metricdata.Metrics{Name: "breaker.probes_in_flight", Unit: "{probe}",
		Description: "Probes the half-open circuit let through that have not reported yet."}
	degradedMetric = metricdata.Metrics{Name: "breaker.degraded_since_timestamp", Unit: "s",
		Description: "With runtime/shared: when the Store started failing, in seconds since the Unix epoch, while the breaker works locally; 0 otherwise."}
)

// gauges are the values of the gauges every breaker has, but its state.
type gauges struct {
	name                        string
	shadow, consecutive, probes int64
	retry, cooldown, degraded   float64
}

// everyBreaker returns the gauges every breaker has, but its state, with
// the data points of gs.
func everyBreaker(gs ...gauges) []metricdata.Metrics {
	var shadow, consecutive, probes []metricdata.DataPoint[int64]
	var retry, cooldown, degraded []metricdata.DataPoint[float64]
	for _, g := range gs {
		shadow = append(shadow, point(g.shadow, "breaker", g.name))
		consecutive = append(consecutive, point(g.consecutive, "breaker", g.name))
		probes = append(probes, point(g.probes, "breaker", g.name))
		retry = append(retry, point(g.retry, "breaker", g.name))
		cooldown = append(cooldown, point(g.cooldown, "breaker", g.name))
		degraded = append(degraded, point(g.degraded, "breaker", g.name))
	}
	return []metricdata.Metrics{
		gauge(shadowMetric, shadow...), gauge(consecutiveMetric, consecutive...), gauge(probesMetric, probes...),
		gauge(retryMetric, retry...), gauge(cooldownMetric, cooldown...), gauge(degradedMetric, degraded...),
	}
}

// gaugeOf returns the value of gauge name for breaker, collected by
// reader, and fails t if it has no such point.
func gaugeOf[N int64 | float64](t *testing.T, reader *sdkmetric.ManualReader, name, breaker string) N {
	t.Helper()
	g, _ := collect(t, reader)[name].Data.(metricdata.Gauge[N])
	for _, p := range g.DataPoints {
		if b, _ := p.Attributes.Value("breaker"); b.AsString() == breaker {
			return p.Value
		}
	}
	t.Fatalf("no %s point for %s in %+v", name, breaker, g.DataPoints)
	return 0
}

// TestNearTrip follows the gauges that show a breaker getting close to
// tripping: consecutive failures against their threshold, the cooldown
// that WithBackoff lengthens, the probes in flight.
func TestNearTrip(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, reader := setup(t)
	cb := runtime.New("near", breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(3),
		runtime.WithCooldown(10*time.Second), runtime.WithBackoff(2, time.Minute, 0), runtime.WithHalfOpenProbes(2, 2))
	m.Add(cb)
	consecutive := func(step string, want int64) {
		t.Helper()
		if got := gaugeOf[int64](t, reader, "breaker.consecutive_failures", "near"); got != want {
			t.Errorf("%s: consecutive failures %d, want %d", step, got, want)
		}
	}
	if got := gaugeOf[int64](t, reader, "breaker.consecutive_failures_threshold", "near"); got != 3 {
		t.Errorf("consecutive failures threshold %d, want 3", got)
	}
	must(t, call(cb, clk, 0, errBoom), "a failure")
	must(t, call(cb, clk, 0, errBoom), "a second failure")
	consecutive("two failures", 2)
	must(t, call(cb, clk, 0, nil), "a success")
	consecutive("a success", 0)
	for range 3 {
		must(t, call(cb, clk, 0, errBoom), "a failure")
	}
	cooldown := func(step string, want float64) {
		t.Helper()
		if got := gaugeOf[float64](t, reader, "breaker.cooldown", "near"); got != want {
			t.Errorf("%s: cooldown %v, want %v", step, got, want)
		}
	}
	cooldown("opened", 10)

	clk.Advance(10 * time.Second)
	first, err := cb.Allow()
	must(t, err == nil, "a probe")
	second, err := cb.Allow()
	must(t, err == nil, "a second probe")
	if got := gaugeOf[int64](t, reader, "breaker.probes_in_flight", "near"); got != 2 {
		t.Errorf("two probes out: %d in flight, want 2", got)
	}
	first.Done(errBoom) // reopens, for twice the cooldown
	second.Done(nil)
	cooldown("reopened", 20)
	if got := gaugeOf[int64](t, reader, "breaker.probes_in_flight", "near"); got != 0 {
		t.Errorf("reopened: %d probes in flight, want 0", got)
	}
	cb.Reset()
	cooldown("reset", 10)
}

// downStore is a shared.Store whose every operation fails.
type downStore struct{}

var errDown = errors.New("store down")

func (*downStore) Load(context.Context, string) (shared.Record, error) {
	return shared.Record{}, errDown
}

func (*downStore) Publish(context.Context, string, shared.Change) (shared.Record, bool, error) {
	return shared.Record{}, false, errDown
}

func (*downStore) Acquire(context.Context, string, uint64, string, time.Duration) (shared.Record, bool, error) {
	return shared.Record{}, false, errDown
}

func (*downStore) Watch(ctx context.Context, _ func(), _ func(string, shared.Record)) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestDegraded checks breaker.degraded_since_timestamp: 0 for a breaker
// without a Store, and DegradedSince, in Unix seconds, for one whose Store
// fails. The Store fails in the background, on the wall clock: the test
// waits for the breaker to say so.
func TestDegraded(t *testing.T) {
	m, reader := setup(t)
	cb := runtime.New("replica", shared.WithStore(&downStore{}), runtime.WithFailureThreshold(1))
	m.Add(cb, runtime.New("local"))
	must(t, call(cb, &fakeClock{}, 0, errBoom), "the opening, which goes to the failing store")
	deadline := time.Now().Add(10 * time.Second)
	for cb.Stats().DegradedSince.IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("the breaker never said its store fails")
		}
		time.Sleep(time.Millisecond)
	}
	want := float64(cb.Stats().DegradedSince.UnixNano()) / 1e9
	if got := gaugeOf[float64](t, reader, "breaker.degraded_since_timestamp", "replica"); got != want {
		t.Errorf("degraded: %v, want %v", got, want)
	}
	if got := gaugeOf[float64](t, reader, "breaker.degraded_since_timestamp", "local"); got != 0 {
		t.Errorf("a breaker without a store: %v, want 0", got)
	}
}
