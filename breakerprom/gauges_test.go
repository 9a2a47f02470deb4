package breakerprom

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
)

// gather collects c alone and returns its metric families by name.
func gather(t *testing.T, c *Collector) map[string]*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		byName[mf.GetName()] = mf
	}
	return byName
}

// series returns the value of the series of family name whose labels
// include want, and whether there is one.
func series(mfs map[string]*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	for _, m := range mfs[name].GetMetric() {
		have := map[string]string{}
		for _, p := range m.GetLabel() {
			have[p.GetName()] = p.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && have[k] == v
		}
		if match {
			return m, true
		}
	}
	return nil, false
}

func gaugeOf(t *testing.T, mfs map[string]*dto.MetricFamily, name, breaker string) float64 {
	t.Helper()
	m, ok := series(mfs, name, map[string]string{"breaker": breaker})
	if !ok {
		t.Fatalf("no %s{breaker=%q}", name, breaker)
	}
	return m.GetGauge().GetValue()
}

// stateSum returns the sum of breaker's breaker_state series and the state
// whose value is 1.
func stateSum(mfs map[string]*dto.MetricFamily, breaker string) (sum float64, on string) {
	for _, m := range mfs["breaker_state"].GetMetric() {
		if m.GetLabel()[0].GetValue() != breaker {
			continue
		}
		sum += m.GetGauge().GetValue()
		if m.GetGauge().GetValue() == 1 {
			on = m.GetLabel()[1].GetValue()
		}
	}
	return sum, on
}

// TestNearTripGauges drives breakers toward and into each state and checks
// the one-hot state (forced_open apart from open, shadow apart from the
// state) and the gauges that show a circuit getting close to opening.
func TestNearTripGauges(t *testing.T) {
	clk := newFakeClock()
	counting := runtime.New("counting", breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(3), runtime.WithCooldown(4*time.Second), runtime.WithHalfOpenProbes(2, 2))
	windowed := runtime.New("windowed", breakertest.WithClock(clk.Now), runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.8))
	forced := runtime.New("forced", breakertest.WithClock(clk.Now))
	shadow := runtime.New("shadow", breakertest.WithClock(clk.Now), runtime.WithShadow(), runtime.WithFailureThreshold(1))
	c := NewCollector()
	c.Add(counting, windowed, forced, shadow)

	must(call(counting, clk, 0, errBoom), "a failure")
	must(call(counting, clk, 0, errBoom), "another")
	must(call(windowed, clk, 0, errBoom), "a failure")
	must(call(windowed, clk, 2*time.Second, nil), "a slow success")
	must(call(windowed, clk, 0, nil), "a success")
	forced.ForceOpen()
	must(call(shadow, clk, 0, errBoom), "the failure that opens")

	mfs := gather(t, c)
	for name, want := range map[string]float64{
		"breaker_consecutive_failures":           2,
		"breaker_consecutive_failures_threshold": 3,
		"breaker_cooldown_seconds":               4,
		"breaker_probes_in_flight":               0,
	} {
		if got := gaugeOf(t, mfs, name, "counting"); got != want {
			t.Errorf("%s{breaker=counting} = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]float64{
		"breaker_window_calls":              3,
		"breaker_failure_ratio":             1.0 / 3,
		"breaker_failure_ratio_threshold":   0.5,
		"breaker_slow_call_ratio":           1.0 / 3,
		"breaker_slow_call_ratio_threshold": 0.8,
	} {
		if got := gaugeOf(t, mfs, name, "windowed"); got != want {
			t.Errorf("%s{breaker=windowed} = %v, want %v", name, got, want)
		}
	}
	if _, ok := series(mfs, "breaker_consecutive_failures_threshold", map[string]string{"breaker": "windowed"}); ok {
		t.Error("breaker_consecutive_failures_threshold for a failure-rate breaker, which has no such threshold")
	}
	for breaker, want := range map[string]string{"counting": "closed", "windowed": "closed", "forced": "forced_open", "shadow": "open"} {
		if sum, on := stateSum(mfs, breaker); sum != 1 || on != want {
			t.Errorf("breaker_state{breaker=%q}: sum %v, state %q at 1; want 1, %q", breaker, sum, on, want)
		}
	}
	if got := gaugeOf(t, mfs, "breaker_shadow", "shadow") + 10*gaugeOf(t, mfs, "breaker_shadow", "forced"); got != 1 {
		t.Errorf("breaker_shadow: shadow + 10*forced = %v, want 1", got)
	}

	must(call(counting, clk, 0, errBoom), "the failure that opens")
	clk.Advance(5 * time.Second)
	probe, err := counting.Allow()
	if err != nil {
		t.Fatalf("the probe was rejected: %v", err)
	}
	defer probe.Release()
	mfs = gather(t, c)
	if got := gaugeOf(t, mfs, "breaker_probes_in_flight", "counting"); got != 1 {
		t.Errorf("breaker_probes_in_flight{breaker=counting} = %v, want 1", got)
	}
	if _, on := stateSum(mfs, "counting"); on != "half-open" {
		t.Errorf("counting is %q, want half-open", on)
	}
}

// TestCreatedTimestamps checks that every counter carries its breaker's
// creation time, and that OpenMetrics shows it as _created samples.
func TestCreatedTimestamps(t *testing.T) {
	clk := newFakeClock()
	born := clk.Now()
	cb := runtime.New("born", breakertest.WithClock(clk.Now))
	clk.Advance(time.Hour)
	must(call(cb, clk, 0, nil), "a success")
	c := NewCollector()
	c.Add(cb)
	mfs := gather(t, c)
	for _, name := range []string{"breaker_calls_total", "breaker_slow_calls_total", "breaker_transitions_total"} {
		for _, m := range mfs[name].GetMetric() {
			if got := m.GetCounter().GetCreatedTimestamp().AsTime(); !got.Equal(born) {
				t.Errorf("%s %v: created %v, want %v", name, m.GetLabel(), got, born)
			}
		}
	}
	for _, m := range mfs["breaker_state"].GetMetric() {
		if m.GetCounter() != nil {
			t.Errorf("breaker_state is a counter")
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true, EnableOpenMetricsTextCreatedSamples: true}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/openmetrics-text; version=1.0.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	want := `breaker_calls_created{breaker="born",outcome="success"} 1.7672256e+09`
	if !strings.Contains(string(body), want+"\n") {
		t.Errorf("OpenMetrics scrape lacks %s:\n%s", want, body)
	}
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

// TestDegraded checks breaker_degraded_since_timestamp_seconds: 0 for a
// breaker whose Store works or that has none, DegradedSince for one whose
// Store fails.
func TestDegraded(t *testing.T) {
	cb := runtime.New("replica", shared.WithStore(&downStore{}), runtime.WithFailureThreshold(1))
	local := runtime.New("local")
	c := NewCollector()
	c.Add(cb, local)
	if got := gaugeOf(t, gather(t, c), "breaker_degraded_since_timestamp_seconds", "replica"); got != 0 {
		t.Errorf("before the store is used: %v, want 0", got)
	}
	p, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p.Done(errBoom) // the opening goes to the store, which fails
	deadline := time.Now().Add(10 * time.Second)
	for cb.Stats().DegradedSince.IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("the breaker never said its store fails")
		}
		time.Sleep(time.Millisecond)
	}
	mfs := gather(t, c)
	want := float64(cb.Stats().DegradedSince.UnixNano()) / 1e9
	if got := gaugeOf(t, mfs, "breaker_degraded_since_timestamp_seconds", "replica"); got != want {
		t.Errorf("degraded: %v, want %v", got, want)
	}
	if got := gaugeOf(t, mfs, "breaker_degraded_since_timestamp_seconds", "local"); got != 0 {
		t.Errorf("a breaker without a store: %v, want 0", got)
	}
}
