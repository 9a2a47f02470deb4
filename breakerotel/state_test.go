package breakerotel

import (
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestStateOneHot drives an enforcing and a shadow breaker through every
// state, forced open included, and checks, at each, that breaker.state has
// exactly one point at 1 per breaker, the breaker's state, and that
// breaker.shadow is 1 for the shadow breaker and 0 for the other.
func TestStateOneHot(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m, reader := setup(t)
	opts := []runtime.Option{breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(1), runtime.WithCooldown(10 * time.Second)}
	enforcing := runtime.New("enforcing", opts...)
	shadow := runtime.New("shadow", append(opts, runtime.WithShadow())...)
	m.Add(enforcing, shadow)
	check := func(step, want string) {
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
			if s := on[b.Name()]; len(s) != 1 || s[0] != want {
				t.Errorf("%s: %s: states at 1 %v, breaker %v, want %v", step, b.Name(), s, b.Stats().State, want)
			}
		}
		shadowed := map[string]int64{}
		for _, p := range got["breaker.shadow"].Data.(metricdata.Gauge[int64]).DataPoints {
			b, _ := p.Attributes.Value("breaker")
			shadowed[b.AsString()] = p.Value
		}
		if len(shadowed) != 2 || shadowed["enforcing"] != 0 || shadowed["shadow"] != 1 {
			t.Errorf("%s: breaker.shadow %v, want 0 for enforcing, 1 for shadow", step, shadowed)
		}
	}
	check("closed", "closed")
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		must(t, call(b, clk, 0, errBoom), "the failure that opens")
	}
	check("open", "open")
	clk.Advance(10 * time.Second)
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		p, err := b.Allow()
		must(t, err == nil, "the probe")
		defer p.Done(nil)
	}
	check("half-open", "half-open")
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		b.ForceOpen()
	}
	check("forced open", "forced_open")
	for _, b := range []*runtime.Breaker{enforcing, shadow} {
		b.Reset()
	}
	check("reset", "closed")
}
