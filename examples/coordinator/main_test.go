package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// fakeClock is the breakers' clock in tests: time moves only when the
// coordinator waits. It records the waits.
type fakeClock struct {
	breakertest.Clock
	mu     sync.Mutex
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	c := new(fakeClock)
	c.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return c
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Advance(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// transitions records state changes by breaker name.
type transitions struct {
	mu sync.Mutex
	m  map[string][]string
}

func (tr *transitions) record(t runtime.Transition) {
	name, from, to := t.Name, t.From, t.To
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.m == nil {
		tr.m = make(map[string][]string)
	}
	tr.m[name] = append(tr.m[name], from.String()+"→"+to.String())
}

func (tr *transitions) of(name string) []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.m[name])
}

func TestScenario(t *testing.T) {
	clock := newFakeClock()
	var tr transitions
	out, err := run(t.Context(), scenario{
		Cooldown: 30 * time.Second,
		Logger:   slog.New(slog.NewTextHandler(t.Output(), nil)),
		Sleep:    clock.Sleep,
		Options:  []runtime.Option{clock.Option(), runtime.WithOnTransition(tr.record)},
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}

	// Every task was done exactly once.
	var ids []int
	for _, r := range out.Results {
		ids = append(ids, r.TaskID)
	}
	if want := seq(1, 3*tasksPerAgent); !slices.Equal(ids, want) {
		t.Errorf("task IDs done = %v, want %v", ids, want)
	}

	// bravo: five failures open the circuit, the first probe fails and
	// reopens it, the second closes it.
	wantBravo := []string{
		"closed→open",
		"open→half-open", "half-open→open",
		"open→half-open", "half-open→closed",
	}
	if got := tr.of("agents/bravo"); !slices.Equal(got, wantBravo) {
		t.Errorf("agents/bravo transitions = %q, want %q", got, wantBravo)
	}
	// The coordinator waited out both open periods, and only those: the
	// cooldown, then about twice it after the failed probe.
	if len(clock.sleeps) != 2 {
		t.Fatalf("coordinator waited %v, want two waits", clock.sleeps)
	}
	first, second := clock.sleeps[0], clock.sleeps[1]
	lo, hi := func(d time.Duration) time.Duration { return time.Duration(float64(d) * (1 - backoffJitter)) },
		func(d time.Duration) time.Duration { return time.Duration(float64(d) * (1 + backoffJitter)) }
	if first < lo(30*time.Second) || first > hi(30*time.Second) || second < lo(60*time.Second) || second > hi(60*time.Second) {
		t.Errorf("waits %v, %v; want 30s then 60s, each within ±10%%", first, second)
	}
	bravo := stats(t, out.Breakers, "bravo")
	if bravo.Cooldown != 30*time.Second {
		t.Errorf("agents/bravo cooldown after closing = %v, want back to 30s", bravo.Cooldown)
	}
	if bravo.TotalRejected != 2 {
		t.Errorf("agents/bravo rejected %d calls, want 2 (one per open period)", bravo.TotalRejected)
	}
	// A rejected call never reaches the agent: bravo saw its six failures
	// and one successful call per task, nothing more.
	if got, want := out.Agents["bravo"].Calls(), int(bravo.Totals[runtime.Failure])+tasksPerAgent; got != want || bravo.Totals[runtime.Failure] != 6 {
		t.Errorf("bravo received %d calls and its breaker counted %d failures, want %d calls and 6 failures", got, bravo.Totals[runtime.Failure], want)
	}

	// charlie fails every third call, but a success always comes between:
	// its circuit never opens.
	charlie := stats(t, out.Breakers, "charlie")
	if charlie.Totals[runtime.Failure] == 0 {
		t.Error("charlie never failed; the scenario should make it flaky")
	}
	if got := tr.of("agents/charlie"); len(got) != 0 {
		t.Errorf("agents/charlie transitions = %q, want none", got)
	}
	if got := tr.of("agents/alpha"); len(got) != 0 {
		t.Errorf("agents/alpha transitions = %q, want none", got)
	}

	for _, b := range out.Breakers.All() {
		if s := b.Stats().State; s != runtime.Closed {
			t.Errorf("%s ends %s, want closed", b.Name(), s)
		}
	}
	for name, a := range out.Agents {
		if _, err := a.Dispatch(t.Context(), Task{}); err == nil {
			t.Errorf("agent %s still accepts tasks after shutdown", name)
		}
	}
}

// TestWaitIsCancellable checks that a coordinator waiting out a long
// cooldown returns as soon as its context is done, without calling the agent.
func TestWaitIsCancellable(t *testing.T) {
	agent := NewSimAgent("delta", Healthy, 0)
	cb := runtime.New("agents/delta", runtime.WithCooldown(time.Hour))
	cb.ForceOpen()
	coord := &Coordinator{
		Agents: map[string]AgentClient{"delta": NewAgentClientBreaker(agent, cb)},
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
	}

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := coord.Run(ctx, map[string][]Task{"delta": {{ID: 1}}})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Run = %v, want context.DeadlineExceeded", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run still waiting a minute after its context expired")
	}
	if n := agent.Calls(); n != 0 {
		t.Errorf("agent called %d times through an open circuit, want 0", n)
	}
}

// TestDoneContextUsesNoProbe checks the generated wrapper's promise: a call
// whose context is already done fails with the context's error and does not
// take the half-open circuit's only probe.
func TestDoneContextUsesNoProbe(t *testing.T) {
	clock := newFakeClock()
	agent := NewSimAgent("echo", DownFor(1), 0)
	cb := runtime.New("agents/echo", runtime.WithFailureThreshold(1), clock.Option())
	client := NewAgentClientBreaker(agent, cb)

	if _, err := client.Dispatch(t.Context(), Task{ID: 1}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("first Dispatch = %v, want ErrUnavailable", err)
	}
	_ = clock.Sleep(t.Context(), (30 * time.Second))

	dead, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := client.Dispatch(dead, Task{ID: 2}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Dispatch with a canceled context = %v, want context.Canceled", err)
	}
	if _, err := client.Dispatch(t.Context(), Task{ID: 3}); err != nil {
		t.Fatalf("probe after the canceled call = %v, want success", err)
	}
	if got := cb.Stats().State; got != runtime.Closed {
		t.Errorf("state after a successful probe = %s, want closed", got)
	}
	if n := agent.Calls(); n != 2 {
		t.Errorf("agent called %d times, want 2", n)
	}
}

func stats(t *testing.T, set *runtime.Set, key string) runtime.Stats {
	t.Helper()
	for k, b := range set.All() {
		if k == key {
			return b.Stats()
		}
	}
	t.Fatalf("no breaker for %s in the set", key)
	return runtime.Stats{}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}
