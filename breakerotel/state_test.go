package breakerotel

import (
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestStateOneHot drives an enforcing and a shadow breaker through every
// state and checks, at each, that breaker.state has exactly one point at
// 1 per breaker, the breaker's state, and that breaker.shadow has a point
// for the shadow breaker only.
func TestStateOneHot(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, reader := setup(t)
	opts := []runtime.Option{runtime.WithClock(clk.Now), runtime.WithFailureThreshold(1), runtime.WithCooldown(10 * time.Second)}
	enforcing := runtime.New("enforcing", opts...)
	shadow := runtime.New("shadow", append(opts, runtime.WithShadow())...)
	m.Add(enforcing, shadow)
	check := func(step string, want runtime.State) {
		t.Helper()
		got := collect(t, reader)
		on := map[string][]string{}
		for _, p := range got["breaker.state"].Data.(metricdata.Gauge[int64]).DataPoints {
			b, _ := p.Attributes.Value("breaker")
			s, _ := p.Attributes.Value("state")
			if p.Value == 1 {
				on[b.AsString()] = append(on[b.AsString()], s.AsString())
			}
		}
		for _, b := range []*runtime.Breaker{enforcing, shadow} {
			if s := on[b.Name()]; len(s) != 1 || s[0] != want.String() || b.State() != want {
				t.Errorf("%s: %s: states at 1 %v, breaker %v, want %v", step, b.Name(), s, b.State(), want)
			}
		}
		g, _ := got["breaker.shadow"].Data.(metricdata.Gauge[int64])
		if len(g.DataPoints) != 1 {
			t.Fatalf("%s: breaker.shadow %+v, want one point", step, g.DataPoints)
		}
		if b, _ := g.DataPoints[0].Attributes.Value("breaker"); b.AsString() != "shadow" || g.DataPoints[0].Value != 1 {
			t.Errorf("%s: breaker.shadow %+v, want 1 for shadow", step, g.DataPoints)
		}
	}
	check("closed", runtime.Closed)
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		must(t, call(b, clk, 0, errBoom), "the failure that opens")
	}
	check("open", runtime.Open)
	clk.Advance(10 * time.Second)
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		p, err := b.Allow()
		must(t, err == nil, "the probe")
		defer p.Done(nil)
	}
	check("half-open", runtime.HalfOpen)
}
