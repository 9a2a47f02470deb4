package main

import "context"

//go:generate go run github.com/breakergen/breakergen/cmd/breakergen -type=AgentClient

// AgentClient is the coordinator's view of one remote agent.
type AgentClient interface {
	// Dispatch hands the agent one task and waits for its result.
	Dispatch(ctx context.Context, task Task) (Result, error)
	// Status reports what the agent has done so far.
	Status(ctx context.Context) (AgentStatus, error)
	// Close releases the connection to the agent. It must reach the agent
	// even while the circuit is open, so it is not guarded.
	//
	//breakergen:skip
	Close() error
}

// Task is one unit of work for an agent.
type Task struct {
	ID      int
	Payload string
}

// Result is what an agent returns for a task.
type Result struct {
	TaskID int
	Agent  string
	Output string
}

// AgentStatus is an agent's own account of its work.
type AgentStatus struct {
	Name      string
	Calls     int // Dispatch calls that reached the agent
	Completed int
	Failed    int
}
