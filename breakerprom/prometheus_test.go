package breakerprom

import (
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/breakerprom/internal/promtest"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/prometheus/client_golang/prometheus"
)

// waitBreakers waits until promql returns a series for each breaker named.
func waitBreakers(t *testing.T, p *promtest.Prometheus, promql string, breakers ...string) {
	t.Helper()
	p.WaitFor(t, promql, func(v promtest.Vector) bool {
		got := v.By("breaker")
		for _, b := range breakers {
			if _, ok := got[b]; !ok {
				return false
			}
		}
		return true
	})
}

// expectBreakers checks that v has one series for each breaker named and no
// other; a want other than 0 is the value each must have.
func expectBreakers(t *testing.T, v promtest.Vector, want float64, breakers ...string) {
	t.Helper()
	got := v.By("breaker")
	ok := len(got) == len(breakers) && len(v) == len(breakers)
	for _, b := range breakers {
		value, found := got[b]
		ok = ok && found && (want == 0 || value == want)
	}
	if !ok {
		t.Errorf("got:\n%s\nwant one series for each of %v", v, breakers)
	}
}

func equalMaps(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestPromtoolCheckMetrics runs promtool check metrics on the exposition of
// breakers in every state and of every kind, every metric present.
func TestPromtoolCheckMetrics(t *testing.T) {
	clk := newFakeClock()
	windowed := runtime.New("windowed", breakertest.WithClock(clk.Now),
		runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.9))
	must(call(windowed, clk, 2*time.Second, nil), "a slow success")
	must(call(windowed, clk, 0, errCanceled), "an ignored call")
	open := runtime.New("open", breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(1))
	must(call(open, clk, 0, errBoom), "the failure that opens")
	must(!call(open, clk, 0, nil), "a rejection")
	halfClk := newFakeClock()
	half := runtime.New("half-open", breakertest.WithClock(halfClk.Now), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Second))
	must(call(half, halfClk, 0, errBoom), "the failure that opens")
	halfClk.Advance(2 * time.Second)
	probe, err := half.Allow() // held, so the circuit stays half-open
	if err != nil {
		t.Fatalf("the probe was rejected: %v", err)
	}
	defer probe.Release()
	shadow := runtime.New("shadow", breakertest.WithClock(clk.Now), runtime.WithShadow(), runtime.WithFailureThreshold(1))
	must(call(shadow, clk, 0, errBoom), "the failure that opens")
	must(call(shadow, clk, 0, nil), "a call the shadow breaker would have rejected")
	agents := runtime.NewSet("agents")
	agents.Get("alpha")
	forced := runtime.New("forced")
	forced.ForceOpen()

	c := NewCollector()
	c.Add(runtime.New("closed"), open, half, windowed, shadow, forced)
	c.AddSet(agents)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	exposition := string(promtest.CheckGatherer(t, reg))
	for _, want := range []string{
		`breaker_state{breaker="half-open",state="half-open"} 1`,
		`breaker_shadow{breaker="shadow"} 1`,
		`breaker_calls_total{breaker="open",outcome="rejected"} 1`,
		`breaker_calls_total{breaker="shadow",outcome="shadow_rejected"} 1`,
		`breaker_calls_total{breaker="windowed",outcome="ignore"} 1`,
		`breaker_slow_calls_total{breaker="windowed"} 1`,
		`breaker_transitions_total{breaker="half-open",from="open",to="half-open"} 1`,
		`breaker_failure_ratio{breaker="windowed"} 0`,
		`breaker_slow_call_ratio{breaker="windowed"} 1`,
		`breaker_retry_after_seconds{breaker="open"} 30`,
		`breaker_retry_after_seconds{breaker="agents/alpha"} 0`,
		`breaker_state{breaker="forced",state="forced_open"} 1`,
		`breaker_probes_in_flight{breaker="half-open"} 1`,
		`breaker_failure_ratio_threshold{breaker="windowed"} 0.5`,
		`breaker_slow_call_ratio_threshold{breaker="windowed"} 0.9`,
		`breaker_window_calls{breaker="windowed"} 1`,
		`breaker_consecutive_failures_threshold{breaker="open"} 1`,
		`breaker_cooldown_seconds{breaker="half-open"} 1`,
		`breaker_degraded_since_timestamp_seconds{breaker="closed"} 0`,
	} {
		if !strings.Contains(exposition, want+"\n") {
			t.Errorf("the exposition checked lacks %s:\n%s", want, exposition)
		}
	}
}
