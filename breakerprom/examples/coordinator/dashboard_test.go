package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/breakerprom/internal/promtest"
)

// dashboard is the part of a Grafana dashboard the test reads.
type dashboard struct {
	Title      string `json:"title"`
	UID        string `json:"uid"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query string `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID         int        `json:"id"`
	Title      string     `json:"title"`
	Type       string     `json:"type"`
	Datasource datasource `json:"datasource"`
	GridPos    struct{ W, H int }
	Targets    []struct {
		RefID      string     `json:"refId"`
		Expr       string     `json:"expr"`
		Datasource datasource `json:"datasource"`
	} `json:"targets"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// loadDashboard reads breakerprom's dashboard.json and checks what Grafana
// needs to import it: a uid, the datasource variable every query uses,
// panels of known types with ids, sizes and unique refIds.
func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	raw, err := os.ReadFile("../../dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}
	if d.Title == "" || d.UID == "" || len(d.Templating.List) != 1 || d.Templating.List[0].Type != "datasource" || d.Templating.List[0].Query != "prometheus" {
		t.Fatalf("dashboard.json: title %q, uid %q, templating %+v; want a title, a uid and one prometheus datasource variable", d.Title, d.UID, d.Templating.List)
	}
	want := datasource{Type: "prometheus", UID: "${" + d.Templating.List[0].Name + "}"}
	ids := map[int]bool{}
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel %d %q: the id is taken", p.ID, p.Title)
		}
		ids[p.ID] = true
		checkPanel(t, p, want)
	}
	return d
}

// checkPanel checks that p has an id, a size, a known type and queries with
// unique refIds on the datasource ds.
func checkPanel(t *testing.T, p panel, ds datasource) {
	t.Helper()
	if p.ID == 0 || p.GridPos.W == 0 || p.GridPos.H == 0 || len(p.Targets) == 0 {
		t.Errorf("panel %d %q: want an id, a size and queries", p.ID, p.Title)
	}
	if p.Type != "timeseries" && p.Type != "state-timeline" {
		t.Errorf("panel %q: type %q", p.Title, p.Type)
	}
	refs := map[string]bool{}
	for _, tg := range p.Targets {
		if refs[tg.RefID] || p.Datasource != ds || tg.Datasource != ds {
			t.Errorf("panel %q, query %s: refId repeated or datasource not %v", p.Title, tg.RefID, ds)
		}
		refs[tg.RefID] = true
	}
}

// TestDashboard runs every query of the dashboard on a real Prometheus
// scraping the coordinator, and checks that each returns data. The
// coordinator runs on a fake clock: each scrape lets it play 5 more rounds
// first, so the story moves on between scrapes without the test sleeping.
// Grafana's $__rate_interval becomes 5s, ten scrapes.
func TestDashboard(t *testing.T) {
	d := loadDashboard(t)
	clk := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan struct{})
	sc := scenario{Tick: 50 * time.Millisecond, Cooldown: 300 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		Now: clk.Now, Sleep: func(ctx context.Context, d time.Duration) error {
			select {
			case <-tick:
				return clk.Sleep(ctx, d)
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
	agents := newAgents(sc)
	var wg sync.WaitGroup
	wg.Go(func() { run(ctx, sc, agents) })
	defer wg.Wait()
	defer cancel()
	metrics := metricsHandler(agents)
	p := promtest.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 5 {
			select {
			case tick <- struct{}{}:
			case <-ctx.Done():
			}
		}
		metrics.ServeHTTP(w, r)
	}), promtest.Options{})

	answers := map[string]promtest.Vector{} // by panel title and refId
	for _, pn := range d.Panels {
		for _, tg := range pn.Targets {
			expr := strings.ReplaceAll(tg.Expr, "$__rate_interval", "5s")
			if strings.Contains(expr, "$") {
				t.Errorf("panel %q, query %s: a variable the test does not know: %s", pn.Title, tg.RefID, tg.Expr)
				continue
			}
			v := p.WaitFor(t, expr, nil)
			answers[pn.Title+"/"+tg.RefID] = v
			t.Logf("%s/%s: %d series", pn.Title, tg.RefID, len(v))
		}
	}
	checkStory(t, answers)
	checkBornFailing(t, p)
}

// checkBornFailing runs the README's query of the breakers that opened in
// the last five minutes: it must list bravo's opening from closed, which
// came before bravo's first scrape (the first scrape plays 5 rounds
// first, and bravo opens at its third call).
func checkBornFailing(t *testing.T, p *promtest.Prometheus) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var query string
	for line := range strings.Lines(string(readme)) {
		if strings.Contains(line, `offset 5m`) {
			query = strings.TrimSpace(line)
		}
	}
	if query == "" {
		t.Fatal("the README has no query of the breakers opened in the last five minutes")
	}
	bravo := `breaker_transitions_total{breaker="agents/bravo",from="closed",to="open"}`
	if v := p.Query(t, `min_over_time(`+bravo+`[5m]) == 1`); len(v) != 1 {
		t.Fatalf("bravo's first sample is not open: %v", v)
	}
	for _, s := range p.Query(t, query) {
		if s.Labels["breaker"] == "agents/bravo" && s.Labels["from"] == "closed" {
			return
		}
	}
	t.Errorf("%s misses agents/bravo, born failing", query)
}

// checkStory checks what some panels say of the coordinator's agents: the
// state timeline has a row per agent, valued 1 (closed) to 4 (forced
// open), and one for delta's shadow mode; delta's window ratios are
// plotted against its threshold.
func checkStory(t *testing.T, answers map[string]promtest.Vector) {
	t.Helper()
	states := answers["State per breaker/A"]
	if len(states) != len(names) {
		t.Errorf("state timeline: %v, want a row per agent", states)
	}
	for _, s := range states {
		if s.Value < 1 || s.Value > 4 || !strings.HasPrefix(s.Labels["breaker"], "agents/") {
			t.Errorf("state timeline: %v, want a breaker of agents at 1 to 4", s)
		}
	}
	for _, q := range []string{"State per breaker/B", "Window failure and slow-call ratios/A", "Window failure and slow-call ratios/B"} {
		if v := answers[q]; len(v) != 1 || v[0].Labels["breaker"] != "agents/delta" {
			t.Errorf("%s: %v, want agents/delta alone", q, v)
		}
	}
	if v := answers["Window failure and slow-call ratios/B"]; len(v) == 1 && v[0].Value != 0.4 {
		t.Errorf("delta's failure ratio threshold: %v, want 0.4", v)
	}
}
