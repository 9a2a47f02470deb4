package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// Coordinator hands tasks to agents, one loop per agent. A failed dispatch
// is retried at once; the agent's circuit breaker is what keeps that from
// becoming an endless retry loop against an agent that is down.
type Coordinator struct {
	// Agents are the agents by name, each wrapped in its circuit breaker.
	Agents map[string]AgentClient
	// Logger receives the story of the run.
	Logger *slog.Logger
	// Sleep waits for d or until ctx is done. Nil means a real timer;
	// tests pass one that moves a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Run dispatches each agent's queue of tasks, the agents in parallel, and
// returns the results. It stops early only when ctx is done.
func (c *Coordinator) Run(ctx context.Context, queues map[string][]Task) ([]Result, error) {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		results  []Result
		firstErr error
	)
	for name, tasks := range queues {
		agent := c.Agents[name]
		wg.Go(func() {
			rs, err := c.drain(ctx, name, agent, tasks)
			mu.Lock()
			defer mu.Unlock()
			results = append(results, rs...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	wg.Wait()
	return results, firstErr
}

// drain dispatches tasks to one agent in order.
func (c *Coordinator) drain(ctx context.Context, name string, agent AgentClient, tasks []Task) ([]Result, error) {
	var results []Result
	for _, task := range tasks {
		r, err := c.dispatch(ctx, name, agent, task)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

// dispatch sends task to agent until it succeeds. While the agent's circuit
// is open the call is rejected without reaching the agent, and dispatch
// waits for the RetryAfter the rejection carries.
func (c *Coordinator) dispatch(ctx context.Context, name string, agent AgentClient, task Task) (Result, error) {
	for attempt := 1; ; attempt++ {
		r, err := agent.Dispatch(ctx, task)
		var open *runtime.CircuitBreakerError
		switch {
		case err == nil:
			c.Logger.Info("task done", "agent", name, "task", task.ID, "attempt", attempt)
			return r, nil
		case errors.As(err, &open):
			c.Logger.Info("agent not called; waiting", "agent", name, "task", task.ID,
				"retry_after", open.RetryAfter().Round(time.Millisecond), "err", err)
			if err := c.sleep(ctx, open.RetryAfter()); err != nil {
				return Result{}, err
			}
		case ctx.Err() != nil:
			return Result{}, ctx.Err()
		default:
			c.Logger.Warn("dispatch failed; retrying", "agent", name, "task", task.ID, "attempt", attempt, "err", err)
		}
	}
}

func (c *Coordinator) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	return sleep(ctx, d)
}
