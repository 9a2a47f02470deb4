package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ErrUnavailable is what a simulated agent returns while it is down.
var ErrUnavailable = errors.New("agent unavailable")

// SimAgent is a simulated agent. Whether a call fails depends only on how
// many calls it has received, so every run tells the same story.
type SimAgent struct {
	name string
	// fails reports whether the nth Dispatch call (counting from 1) fails.
	fails func(n int) bool
	// work is how long a successful Dispatch takes; failures are immediate,
	// like a refused connection.
	work time.Duration

	mu        sync.Mutex
	calls     int
	completed int
	failed    int
	closed    bool
}

// NewSimAgent returns an agent called name whose nth Dispatch call fails
// when fails(n) is true.
func NewSimAgent(name string, fails func(n int) bool, work time.Duration) *SimAgent {
	return &SimAgent{name: name, fails: fails, work: work}
}

// Healthy never fails.
func Healthy(int) bool { return false }

// DownFor fails the first n calls, then recovers for good.
func DownFor(n int) func(int) bool {
	return func(call int) bool { return call <= n }
}

// EveryNth fails every nth call: the agent is flaky but never fails twice in
// a row.
func EveryNth(n int) func(int) bool {
	return func(call int) bool { return call%n == 0 }
}

// Dispatch runs task, or fails with ErrUnavailable.
func (a *SimAgent) Dispatch(ctx context.Context, task Task) (Result, error) {
	a.mu.Lock()
	a.calls++
	n := a.calls
	if a.closed {
		a.mu.Unlock()
		return Result{}, fmt.Errorf("%s: closed", a.name)
	}
	fail := a.fails(n)
	if fail {
		a.failed++
	}
	a.mu.Unlock()
	if fail {
		return Result{}, fmt.Errorf("%s: %w", a.name, ErrUnavailable)
	}
	if err := sleep(ctx, a.work); err != nil {
		return Result{}, err
	}
	a.mu.Lock()
	a.completed++
	a.mu.Unlock()
	return Result{TaskID: task.ID, Agent: a.name, Output: strings.ToUpper(task.Payload)}, nil
}

// Status reports the agent's counters.
func (a *SimAgent) Status(ctx context.Context) (AgentStatus, error) {
	if err := ctx.Err(); err != nil {
		return AgentStatus{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return AgentStatus{Name: a.name, Calls: a.calls, Completed: a.completed, Failed: a.failed}, nil
}

// Close marks the agent closed; later calls fail.
func (a *SimAgent) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	return nil
}

// Calls returns how many Dispatch calls reached the agent.
func (a *SimAgent) Calls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
