package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

//go:generate go tool breakergen -type=AgentClient

// AgentClient is a coordinator's view of one remote agent.
type AgentClient interface {
	// Dispatch hands the agent one task and waits for its result.
	Dispatch(ctx context.Context, task string) (string, error)
}

// ErrUnavailable is what the agent returns while it is down.
var ErrUnavailable = errors.New("agent unavailable")

// simAgent is one agent that every replica calls: down from down to up
// after the start, counting the calls that reach it.
type simAgent struct {
	name     string
	start    time.Time
	down, up time.Duration

	mu            sync.Mutex
	calls, failed int
}

func (a *simAgent) Dispatch(ctx context.Context, task string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if t := time.Since(a.start); a.down > 0 && t >= a.down && t < a.up {
		a.failed++
		return "", fmt.Errorf("%s: %w", a.name, ErrUnavailable)
	}
	return a.name + " did " + task, nil
}

func (a *simAgent) counts() (calls, failed int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls, a.failed
}
