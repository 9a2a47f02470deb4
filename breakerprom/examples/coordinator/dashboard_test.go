package main

import (
	"context"
	"encoding/json"
	"log/slog"
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
// scraping the coordinator, which runs on the real clock until the test
// ends, and checks that each returns data. Grafana's $__rate_interval
// becomes 5s, ten scrapes.
func TestDashboard(t *testing.T) {
	d := loadDashboard(t)
	sc := scenario{Tick: 50 * time.Millisecond, Cooldown: 300 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	agents := newAgents(sc)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { run(ctx, sc, agents) })
	defer wg.Wait()
	defer cancel()
	p := promtest.Start(t, metricsHandler(agents), promtest.Options{})

	var states promtest.Vector
	for _, pn := range d.Panels {
		for _, tg := range pn.Targets {
			expr := strings.ReplaceAll(tg.Expr, "$__rate_interval", "5s")
			if strings.Contains(expr, "$") {
				t.Errorf("panel %q, query %s: a variable the test does not know: %s", pn.Title, tg.RefID, tg.Expr)
				continue
			}
			v := p.WaitFor(t, expr, nil)
			if pn.Type == "state-timeline" && tg.RefID == "A" {
				states = p.WaitFor(t, expr, func(v promtest.Vector) bool { return len(v) == len(names) })
			}
			t.Logf("%s/%s: %d series", pn.Title, tg.RefID, len(v))
		}
	}
	// The state timeline has one series per agent, valued 1 (closed) to 4
	// (forced open).
	for _, s := range states {
		if s.Value < 1 || s.Value > 4 || !strings.HasPrefix(s.Labels["breaker"], "agents/") {
			t.Errorf("state timeline: %v, want a breaker of agents at 1 to 4", s)
		}
	}
}
