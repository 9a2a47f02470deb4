package breakerprom

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/breakergen/breakergen/breakerprom/internal/promtest"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The PromQL queries of README.md (this module's own), verbatim;
// TestREADMEQueries checks that the README gives these, the first five in
// its promql block.
const (
	queryOpenNow         = `breaker_state{state=~"open|forced_open"} == 1 unless ignoring (state) breaker_shadow == 1`
	queryOpenedRecently  = `increase(breaker_transitions_total{to="open"}[5m]) > 0 or (breaker_transitions_total{to="open"} unless breaker_transitions_total{to="open"} offset 5m) > 0`
	queryRejecting       = `sum by (breaker) (rate(breaker_calls_total{outcome="rejected"}[5m])) > 0`
	queryCloseToOpening  = `(breaker_consecutive_failures / breaker_consecutive_failures_threshold or breaker_failure_ratio / breaker_failure_ratio_threshold) >= 0.5 and ignoring (state) breaker_state{state="closed"} == 1`
	queryDegraded        = `count by (breaker) (breaker_degraded_since_timestamp_seconds > 0)`
	queryShadowRejecting = `rate(breaker_calls_total{outcome="shadow_rejected"}[5m])`
	queryOpenings        = `breaker_transitions_total{to="open"}`

	// queryOpenedBefore is the "opened recently" query the README gave
	// before, which misses a breaker born failing.
	queryOpenedBefore = `increase(breaker_transitions_total{to="open"}[5m]) > 0`
)

// readmeQueries returns the lines of the README's promql blocks.
func readmeQueries(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, m := range regexp.MustCompile("(?s)```promql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		for line := range strings.Lines(m[1]) {
			if line = strings.TrimSpace(line); line != "" {
				qs = append(qs, line)
			}
		}
	}
	return qs
}

// checkREADMEGives checks that the README gives the queries tested: the
// five of its promql block, in order, and those of its text.
func checkREADMEGives(t *testing.T) {
	t.Helper()
	want := []string{queryOpenNow, queryOpenedRecently, queryRejecting, queryCloseToOpening, queryDegraded}
	if got := readmeQueries(t); !slices.Equal(got, want) {
		t.Errorf("the README's queries:\n%s\nthe tested ones:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{queryShadowRejecting, queryOpenings} { // in the text of Shadow mode
		if !strings.Contains(string(readme), "`"+q+"`") {
			t.Errorf("the README no longer gives the query %s: test the queries it gives now", q)
		}
	}
}

// drive holds the breakers of TestREADMEQueries and keeps scrapes out
// while it changes them.
type drive struct {
	sync.Mutex
	clk     *fakeClock
	agents  *runtime.Set
	shadow  *runtime.Set
	billing *runtime.Breaker
	replica *runtime.Breaker
}

// TestREADMEQueries runs each PromQL query of the README on a real
// Prometheus scraping breakers the test drove, and checks the answers:
// agents/alpha stays closed; agents/charlie opens after its first scrape
// and rejects; shadow/delta opens in shadow mode; billing is forced open;
// agents/echo has one failure of the two that open it; replica's shared
// Store fails, so it opens locally and is degraded; and agents/bravo is
// born failing: it opens before its first scrape.
func TestREADMEQueries(t *testing.T) {
	checkREADMEGives(t)
	d := &drive{clk: newFakeClock()}
	p := d.start(t)
	d.play(t, p)

	t.Run("open now", func(t *testing.T) {
		v := p.Query(t, queryOpenNow)
		expectBreakers(t, v, 1, "agents/bravo", "agents/charlie", "billing", "replica")
		for _, s := range v {
			if wantState := map[bool]string{true: "forced_open", false: "open"}[s.Labels["breaker"] == "billing"]; s.Labels["state"] != wantState {
				t.Errorf("%s: %v, want state=%s", queryOpenNow, s.Labels, wantState)
			}
		}
	})
	t.Run("opened in the last five minutes", func(t *testing.T) {
		v := p.Query(t, queryOpenedRecently)
		expectBreakers(t, v, 0, "agents/bravo", "agents/charlie", "billing", "replica", "shadow/delta")
		for _, s := range v {
			if s.Labels["from"] != "closed" || s.Value <= 0 {
				t.Errorf("%s: got %v, want from=closed with a positive value", queryOpenedRecently, s)
			}
		}
		// The test can tell: the former query misses the breaker born failing.
		expectBreakers(t, p.Query(t, queryOpenedBefore), 0, "agents/charlie", "billing", "replica", "shadow/delta")
	})
	t.Run("rejecting", func(t *testing.T) {
		expectBreakers(t, p.Query(t, queryRejecting), 0, "agents/bravo", "agents/charlie")
	})
	t.Run("close to opening", func(t *testing.T) {
		expectBreakers(t, p.Query(t, queryCloseToOpening), 0.5, "agents/echo")
	})
	t.Run("degraded", func(t *testing.T) {
		expectBreakers(t, p.Query(t, queryDegraded), 1, "replica")
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
		want := map[string]float64{}
		for _, b := range []string{"agents/alpha", "agents/bravo", "agents/charlie", "agents/echo", "billing", "replica", "shadow/delta"} {
			want[b+" from closed"], want[b+" from half-open"] = 0, 0
		}
		for _, b := range []string{"agents/bravo", "agents/charlie", "billing", "replica", "shadow/delta"} {
			want[b+" from closed"] = 1
		}
		if !equalMaps(got, want) {
			t.Errorf("%s = %v, want %v", queryOpenings, got, want)
		}
	})
}

// start makes the breakers and a Prometheus scraping them.
func (d *drive) start(t *testing.T) *promtest.Prometheus {
	t.Helper()
	opts := runtime.WithBreakerOptions(breakertest.WithClock(d.clk.Now), runtime.WithFailureThreshold(2))
	d.agents = runtime.NewSet("agents", opts)
	d.shadow = runtime.NewSet("shadow", opts, runtime.WithKeyOptions(func(string) []runtime.Option { return []runtime.Option{runtime.WithShadow()} }))
	d.billing = runtime.New("billing", breakertest.WithClock(d.clk.Now))
	d.replica = runtime.New("replica", shared.WithStore(&downStore{}), runtime.WithFailureThreshold(1))
	c := NewCollector()
	c.AddSet(d.agents, d.shadow)
	c.Add(d.billing, d.replica)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return promtest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.Lock()
		defer d.Unlock()
		metrics.ServeHTTP(w, r)
	}), promtest.Options{})
}

// play drives the breakers of TestREADMEQueries, waiting for Prometheus to
// scrape each step.
func (d *drive) play(t *testing.T, p *promtest.Prometheus) {
	t.Helper()
	do := func(b *runtime.Breaker, err error) bool { return call(b, d.clk, 0, err) }
	d.Lock()
	for _, b := range []*runtime.Breaker{d.agents.Get("alpha"), d.agents.Get("charlie"), d.agents.Get("echo"), d.shadow.Get("delta"), d.billing, d.replica} {
		must(do(b, nil), "a success")
	}
	d.Unlock()
	closedOpen := `breaker_transitions_total{from="closed",to="open"}`
	waitBreakers(t, p, closedOpen+` == 0`, "agents/alpha", "agents/charlie", "agents/echo", "shadow/delta", "billing", "replica")

	d.Lock()
	must(do(d.agents.Get("alpha"), nil), "a success")
	must(do(d.agents.Get("echo"), errBoom), "one failure of two")
	for _, b := range []*runtime.Breaker{d.agents.Get("charlie"), d.shadow.Get("delta")} {
		must(do(b, errBoom), "a failure")
		must(do(b, errBoom), "the failure that opens")
	}
	must(!do(d.agents.Get("charlie"), nil), "a rejection")
	for range 3 {
		must(do(d.shadow.Get("delta"), nil), "a call the shadow breaker would have rejected")
	}
	d.billing.ForceOpen()
	must(do(d.replica, errBoom), "the failure that opens, locally: the store fails")
	// Born failing: bravo's first scrape sees it open already.
	bravo := d.agents.Get("bravo")
	must(do(bravo, errBoom), "a failure")
	must(do(bravo, errBoom), "the failure that opens")
	d.Unlock()
	waitBreakers(t, p, closedOpen+` == 1`, "agents/bravo", "agents/charlie", "shadow/delta", "billing", "replica")
	p.WaitFor(t, `breaker_degraded_since_timestamp_seconds{breaker="replica"} > 0`, nil)

	d.Lock()
	must(!do(bravo, nil), "a rejection after bravo's first scrape")
	d.Unlock()
	// Three samples of each series, bravo's first already open.
	bravoOpenings := `breaker_transitions_total{breaker="agents/bravo",from="closed",to="open"}[5m]`
	p.WaitFor(t, `count_over_time(`+bravoOpenings+`) >= 3`, nil)
	p.WaitFor(t, `count_over_time(breaker_calls_total{breaker="agents/bravo",outcome="rejected"}[5m]) >= 3`, nil)
	if v := p.Query(t, `min_over_time(`+bravoOpenings+`) == 1`); len(v) != 1 {
		t.Fatalf("agents/bravo was scraped before it opened: min_over_time = %v", v)
	}
}
