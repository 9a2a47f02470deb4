package main

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// TestWrapperOutlivesEviction checks that a generated wrapper built on a
// Set's breaker keeps guarding its agent after the Set has evicted that
// breaker as idle, and that the Set then starts the key afresh.
func TestWrapperOutlivesEviction(t *testing.T) {
	clk := newFakeClock()
	breakers := runtime.NewSet("agents",
		runtime.WithBreakerOptions(breakertest.WithClock(clk.Now),
			runtime.WithFailureThreshold(2)), runtime.WithIdleEviction(time.Minute))
	sim := NewSimAgent("alpha", func(n int) bool { return n >= 2 }, 0) // down from its second call
	alpha := NewAgentClientBreaker(sim, breakers.Get("alpha"))
	ctx := context.Background()
	if _, err := alpha.Dispatch(ctx, Task{ID: 1}); err != nil {
		t.Fatal(err)
	}
	bravo := NewSimAgent("bravo", Healthy, 0)
	for range 8 { // bravo stays busy, through the Set, while alpha sits idle
		clk.Sleep(ctx, 15*time.Second)
		if _, err := NewAgentClientBreaker(bravo, breakers.Get("bravo")).Dispatch(ctx, Task{ID: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if got := slices.Collect(maps.Keys(maps.Collect(breakers.All()))); len(got) != 1 || got[0] != "bravo" {
		t.Fatalf("keys after alpha sat idle: %v, want only bravo", got)
	}
	// The wrapper still guards alpha with its own breaker: two failures
	// of the agent open it, and the next call is rejected.
	for id := 3; id <= 5; id++ {
		if _, err := alpha.Dispatch(ctx, Task{ID: id}); err == nil {
			t.Fatalf("task %d succeeded; the agent is down", id)
		}
	}
	if s := alpha.Breaker().Stats(); s.State != runtime.Open || s.Totals[runtime.Failure] != 2 || s.TotalRejected != 1 || sim.Calls() != 3 {
		t.Fatalf("wrapper's breaker after eviction: %+v, agent called %d times", s, sim.Calls())
	}
	if fresh := breakers.Get("alpha"); fresh == alpha.Breaker() || fresh.Stats().State != runtime.Closed {
		t.Fatal("Get after eviction did not start a fresh breaker")
	}
}
