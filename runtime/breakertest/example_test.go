package breakertest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// AgentClient is an interface that a wrapper was generated for.
type AgentClient interface {
	Dispatch(ctx context.Context, task string) (string, error)
}

// AgentClientBreaker stands in for the wrapper that breakergen generates
// for AgentClient.
type AgentClientBreaker struct {
	next AgentClient
	cb   *runtime.Breaker
}

// NewAgentClientBreaker returns an AgentClientBreaker that calls next
// through cb.
func NewAgentClientBreaker(next AgentClient, cb *runtime.Breaker) *AgentClientBreaker {
	return &AgentClientBreaker{next: next, cb: cb}
}

// Dispatch calls Dispatch of the wrapped AgentClient if the breaker allows
// it.
func (b *AgentClientBreaker) Dispatch(ctx context.Context, task string) (r0 string, err error) {
	p, err := b.cb.AllowContext(ctx)
	if err != nil {
		return r0, err
	}
	defer p.Release()
	r0, err = b.next.Dispatch(ctx, task)
	p.Done(err)
	return r0, err
}

// fakeAgent is a fake AgentClient: the Dependency counts its calls and
// makes them fail.
type fakeAgent struct{ breakertest.Dependency }

func (f *fakeAgent) Dispatch(ctx context.Context, task string) (string, error) {
	return "done: " + task, f.Call()
}

func ExampleClock() {
	clk := breakertest.NewClock(time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC))
	cb := runtime.New("agent-7", clk.Option(), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))

	p, _ := cb.Allow()
	p.Done(errors.New("agent unreachable"))
	fmt.Println(cb.Stats().State, cb.Stats().RetryAfter)

	clk.Advance(45 * time.Second)
	fmt.Println(cb.Stats().State, cb.Stats().RetryAfter)

	clk.Advance(15 * time.Second)
	fmt.Println(cb.Stats().State, clk.Now().Format(time.TimeOnly))
	// Output:
	// open 1m0s
	// open 15s
	// half-open 12:01:00
}

func ExampleDependency() {
	fake := new(fakeAgent)
	w := NewAgentClientBreaker(fake, runtime.New("agent-7", runtime.WithFailureThreshold(2)))
	ctx := context.Background()

	fmt.Println(w.Dispatch(ctx, "a"))
	fake.Fail(breakertest.ErrDown)
	for range 3 {
		_, err := w.Dispatch(ctx, "b")
		fmt.Println(err)
	}
	fmt.Println("calls that reached the agent:", fake.Calls())
	// Output:
	// done: a <nil>
	// breakertest: dependency down
	// breakertest: dependency down
	// circuit breaker "agent-7" is open; retry in 30s
	// calls that reached the agent: 3
}

func ExampleDependency_During() {
	clk := new(breakertest.Clock)
	fake := new(fakeAgent)
	cb := runtime.New("agent-7", clk.Option(), runtime.WithFailureThreshold(1))
	w := NewAgentClientBreaker(fake, cb)
	ctx := context.Background()

	fake.Fail(breakertest.ErrDown)
	w.Dispatch(ctx, "a") // opens the circuit
	clk.Advance(30 * time.Second)
	fake.Fail(nil)

	// While the probe is in flight, another call is turned away.
	fake.During(func() {
		_, err := w.Dispatch(ctx, "c")
		fmt.Println("during the probe:", err)
	})
	fmt.Println(w.Dispatch(ctx, "b"))
	fmt.Println(cb.Stats().State, fake.Calls())
	// Output:
	// during the probe: circuit breaker "agent-7" is half-open; retry in 30s
	// done: b <nil>
	// closed 2
}

// This is a test of the wrapper generated for AgentClient. Cycle checks that
// failures open the circuit, that the open circuit rejects calls without
// reaching the agent, and that a successful probe closes it again.
func ExampleCycle() {
	var t *testing.T // the test's own

	clk := new(breakertest.Clock)
	fake := new(fakeAgent)
	cb := runtime.New("agent-7", clk.Option())
	w := NewAgentClientBreaker(fake, cb)
	breakertest.Cycle(t, cb, clk, &fake.Dependency, func() error {
		_, err := w.Dispatch(context.Background(), "task")
		return err
	})
}

// This is a test of code around the wrapper: a dispatcher that must give up
// on an agent whose circuit is open instead of retrying it in a loop.
func ExampleRejected() {
	var t *testing.T // the test's own

	clk := new(breakertest.Clock)
	fake := new(fakeAgent)
	cb := runtime.New("agent-7", clk.Option())
	w := NewAgentClientBreaker(fake, cb)
	dispatch := func() error {
		_, err := w.Dispatch(context.Background(), "task")
		return err
	}

	breakertest.Trip(t, cb, &fake.Dependency, dispatch)
	r := breakertest.Rejected(t, cb, &fake.Dependency, dispatch)
	if r.RetryAfter() != 30*time.Second {
		t.Errorf("RetryAfter = %v, want the whole cooldown", r.RetryAfter())
	}

	breakertest.HalfOpen(t, cb, clk)
	fake.Fail(nil)
	if err := dispatch(); err != nil {
		t.Errorf("probe: %v", err)
	}
}
