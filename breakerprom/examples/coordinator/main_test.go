package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/breakerprom/internal/promtest"
)

// fakeClock moves only when the coordinator sleeps.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return ctx.Err()
}

// TestScenarioMetrics plays the scenario on a fake clock, serves its
// breakers on a loopback server and checks the story in the scrape.
func TestScenarioMetrics(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sc := scenario{Rounds: 40, Tick: 50 * time.Millisecond, Cooldown: 300 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Now: clk.Now, Sleep: clk.Sleep}
	agents := newAgents(sc)
	url, stop, err := serveMetrics("127.0.0.1:0", agents)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := run(context.Background(), sc, agents); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	scrape := string(body)
	for _, want := range []string{
		`breaker_state{breaker="agents/alpha",state="closed"} 1`,
		`breaker_calls_total{breaker="agents/alpha",outcome="success"} 40`,
		// bravo: opened, a probe failed, the next closed it.
		`breaker_state{breaker="agents/bravo",state="closed"} 1`,
		`breaker_calls_total{breaker="agents/bravo",outcome="failure"} 4`,
		`breaker_transitions_total{breaker="agents/bravo",from="closed",to="open"} 1`,
		`breaker_transitions_total{breaker="agents/bravo",from="half-open",to="open"} 1`,
		`breaker_transitions_total{breaker="agents/bravo",from="half-open",to="closed"} 1`,
		// charlie never opens.
		`breaker_transitions_total{breaker="agents/charlie",from="closed",to="open"} 0`,
		// delta is in shadow mode: it would have opened, and rejected nothing.
		`breaker_shadow{breaker="agents/delta"} 1`,
		`breaker_calls_total{breaker="agents/delta",outcome="rejected"} 0`,
		`breaker_transitions_total{breaker="agents/delta",from="closed",to="open"} 1`,
		`breaker_failure_ratio{breaker="agents/delta"}`,
		`breaker_failure_ratio_threshold{breaker="agents/delta"} 0.4`,
	} {
		if !strings.Contains(scrape, want+"\n") && !strings.Contains(scrape, want+" ") {
			t.Errorf("scrape lacks %s", want)
		}
	}
	if strings.Contains(scrape, `breaker_calls_total{breaker="agents/delta",outcome="shadow_rejected"} 0`) ||
		!strings.Contains(scrape, `breaker_calls_total{breaker="agents/delta",outcome="shadow_rejected"}`) {
		t.Error("delta counted no shadow rejections")
	}
	promtest.CheckMetrics(t, body) // last: it skips the test without promtool
}
