package breakerprom

import (
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/breakerprom/internal/promtest"
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The PromQL queries of README.md (this module's own), verbatim;
// TestREADMEQueries checks that the README still gives each of them.
const (
	queryOpenNow         = `breaker_state{state="open"} == 1 unless on (breaker) breaker_state{state="shadow"} == 1`
	queryOpenedRecently  = `increase(breaker_transitions_total{to="open"}[5m]) > 0`
	queryShadowRejecting = `rate(breaker_calls_total{outcome="shadow_rejected"}[5m])`
	queryOpenings        = `breaker_transitions_total{to="open"}`
)

// TestREADMEQueries runs each PromQL query of the README on a real
// Prometheus scraping a registry whose breakers the test drove, and checks
// the answers: agents/alpha stays closed, agents/charlie opens after its
// first scrape, shadow/delta opens in shadow mode and would have rejected
// 3 calls, and agents/bravo is born failing: it opens before its first
// scrape.
func TestREADMEQueries(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{queryOpenNow, queryOpenedRecently, queryShadowRejecting, queryOpenings} {
		if !strings.Contains(string(readme), q) {
			t.Errorf("the README no longer gives the query %s: test the queries it gives now", q)
		}
	}

	clk := newFakeClock()
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithClock(clk.Now), runtime.WithFailureThreshold(2)))
	shadow := runtime.NewSet("shadow", runtime.WithBreakerOptions(runtime.WithClock(clk.Now), runtime.WithFailureThreshold(2), runtime.WithShadow()))
	c := NewCollector()
	c.AddSet(agents, shadow)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	// Holding scrapeMu keeps scrapes out while a test drives a breaker.
	var scrapeMu sync.Mutex
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	p := promtest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scrapeMu.Lock()
		defer scrapeMu.Unlock()
		metrics.ServeHTTP(w, r)
	}), promtest.Options{})

	for _, b := range []*runtime.Breaker{agents.Get("alpha"), agents.Get("charlie"), shadow.Get("delta")} {
		must(call(b, clk, 0, nil), "a success")
	}
	closedOpen := `breaker_transitions_total{from="closed",to="open"}`
	waitBreakers(t, p, closedOpen+` == 0`, "agents/alpha", "agents/charlie", "shadow/delta")

	must(call(agents.Get("alpha"), clk, 0, nil), "a success")
	for _, b := range []*runtime.Breaker{agents.Get("charlie"), shadow.Get("delta")} {
		must(call(b, clk, 0, errBoom), "a failure")
		must(call(b, clk, 0, errBoom), "the failure that opens")
	}
	must(!call(agents.Get("charlie"), clk, 0, nil), "a rejection")
	for range 3 {
		must(call(shadow.Get("delta"), clk, 0, nil), "a call the shadow breaker would have rejected")
	}
	waitBreakers(t, p, closedOpen+` == 1`, "agents/charlie", "shadow/delta")
	p.WaitFor(t, `breaker_calls_total{outcome="shadow_rejected"} == 3`, nil)

	t.Run("open now", func(t *testing.T) {
		expectBreakers(t, p.Query(t, queryOpenNow), 1, "agents/charlie")
	})
	t.Run("opened in the last five minutes", func(t *testing.T) {
		v := p.Query(t, queryOpenedRecently)
		expectBreakers(t, v, 0, "agents/charlie", "shadow/delta")
		for _, s := range v {
			if s.Labels["from"] != "closed" || s.Value <= 0 {
				t.Errorf("%s: got %v, want from=closed with a positive increase", queryOpenedRecently, s)
			}
		}
	})
	t.Run("shadow rejections", func(t *testing.T) {
		v := p.Query(t, queryShadowRejecting)
		expectBreakers(t, v, 0, "shadow/delta")
		if len(v) == 1 && v[0].Value <= 0 {
			t.Errorf("%s = %v, want a positive rate", queryShadowRejecting, v)
		}
	})
	t.Run("openings", func(t *testing.T) {
		got := map[string]float64{}
		for _, s := range p.Query(t, queryOpenings) {
			got[s.Labels["breaker"]+" from "+s.Labels["from"]] = s.Value
		}
		want := map[string]float64{
			"agents/alpha from closed": 0, "agents/alpha from half-open": 0,
			"agents/charlie from closed": 1, "agents/charlie from half-open": 0,
			"shadow/delta from closed": 1, "shadow/delta from half-open": 0,
		}
		if !equalMaps(got, want) {
			t.Errorf("%s = %v, want %v", queryOpenings, got, want)
		}
	})
	t.Run("born failing", func(t *testing.T) {
		t.Skip("issue 22: a Set key whose breaker opens before its first scrape has breaker_transitions_total at 1 from its first sample, so increase() over it is 0 and the README's query misses it; remove this skip with the fix")
		scrapeMu.Lock()
		bravo := agents.Get("bravo")
		must(call(bravo, clk, 0, errBoom), "a failure")
		must(call(bravo, clk, 0, errBoom), "the failure that opens")
		scrapeMu.Unlock()
		// Three samples of agents/bravo, the first already at 1.
		bravoOpenings := `breaker_transitions_total{breaker="agents/bravo",from="closed",to="open"}[5m]`
		p.WaitFor(t, `count_over_time(`+bravoOpenings+`) >= 3`, nil)
		if v := p.Query(t, `min_over_time(`+bravoOpenings+`) == 1`); len(v) != 1 {
			t.Fatalf("agents/bravo was scraped before it opened: min_over_time = %v", v)
		}
		expectBreakers(t, p.Query(t, queryOpenNow), 1, "agents/bravo", "agents/charlie")
		expectBreakers(t, p.Query(t, queryOpenedRecently), 0, "agents/bravo", "agents/charlie", "shadow/delta")
	})
}

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
	windowed := runtime.New("windowed", runtime.WithClock(clk.Now),
		runtime.WithFailureRate(0.5, runtime.LastN(10), 4), runtime.WithSlowCalls(time.Second, 0.9))
	must(call(windowed, clk, 2*time.Second, nil), "a slow success")
	must(call(windowed, clk, 0, errCanceled), "an ignored call")
	open := runtime.New("open", runtime.WithClock(clk.Now), runtime.WithFailureThreshold(1))
	must(call(open, clk, 0, errBoom), "the failure that opens")
	must(!call(open, clk, 0, nil), "a rejection")
	halfClk := newFakeClock()
	half := runtime.New("half-open", runtime.WithClock(halfClk.Now), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Second))
	must(call(half, halfClk, 0, errBoom), "the failure that opens")
	halfClk.Advance(2 * time.Second)
	probe, err := half.Allow() // held, so the circuit stays half-open
	if err != nil {
		t.Fatalf("the probe was rejected: %v", err)
	}
	defer probe.Release()
	shadow := runtime.New("shadow", runtime.WithClock(clk.Now), runtime.WithShadow(), runtime.WithFailureThreshold(1))
	must(call(shadow, clk, 0, errBoom), "the failure that opens")
	must(call(shadow, clk, 0, nil), "a call the shadow breaker would have rejected")
	agents := runtime.NewSet("agents")
	agents.Get("alpha")

	c := NewCollector()
	c.Add(runtime.New("closed"), open, half, windowed, shadow)
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
	} {
		if !strings.Contains(exposition, want+"\n") {
			t.Errorf("the exposition checked lacks %s:\n%s", want, exposition)
		}
	}
}
