// Coordinator is breakergen's reference scenario: a coordinator hands tasks
// to three agents through generated AgentClientBreaker wrappers, one circuit
// breaker per agent from a runtime.Set.
//
//   - alpha is healthy.
//   - bravo is down for its first six calls. Five failures in a row open its
//     circuit; the coordinator stops calling it and waits for the cooldown;
//     the first probe fails and reopens the circuit, for about twice as long
//     (WithBackoff: each reopening doubles the cooldown, spread by ±10% so
//     that agents which failed together are not probed together); the
//     second probe succeeds and closes it.
//   - charlie fails every third call. Each success resets its failure count,
//     so its circuit never opens.
//
// The story is printed with log/slog: every dispatch, every state change,
// and the stats of every breaker on shutdown.
//
//	go generate ./examples/... && go run ./examples/coordinator
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	logger := storyLogger(os.Stdout)
	sc := scenario{Cooldown: 200 * time.Millisecond, Work: 40 * time.Millisecond, Logger: logger}
	if _, err := run(ctx, sc); err != nil {
		logger.Error("coordinator stopped", "err", err)
		os.Exit(1)
	}
}

// scenario is what a run of the example can vary: tests shorten the timings
// and bring their own clock.
type scenario struct {
	Cooldown time.Duration // of every agent's breaker
	Work     time.Duration // how long an agent takes for a task
	Logger   *slog.Logger
	// Sleep is the coordinator's wait; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Options are added to every breaker's options.
	Options []runtime.Option
}

// outcome is what a run leaves behind, for tests to check.
type outcome struct {
	Results  []Result
	Agents   map[string]*SimAgent
	Breakers *runtime.Set
}

const (
	tasksPerAgent     = 5
	failureThreshold  = 5
	backoffFactor     = 2
	maxCooldownFactor = 8
	backoffJitter     = 0.1
)

// run plays the scenario: dispatch every task, then report each agent's
// status and each breaker's stats, and close the agents.
func run(ctx context.Context, sc scenario) (outcome, error) {
	log := sc.Logger
	sims := map[string]*SimAgent{
		"alpha":   NewSimAgent("alpha", Healthy, sc.Work),
		"bravo":   NewSimAgent("bravo", DownFor(6), sc.Work),
		"charlie": NewSimAgent("charlie", EveryNth(3), sc.Work),
	}
	names := []string{"alpha", "bravo", "charlie"}

	opts := append([]runtime.Option{
		runtime.WithFailureThreshold(failureThreshold),
		runtime.WithCooldown(sc.Cooldown),
		runtime.WithBackoff(backoffFactor, maxCooldownFactor*sc.Cooldown, backoffJitter),
		runtime.WithLogger(log),
	}, sc.Options...)
	breakers := runtime.NewSet("agents", runtime.WithBreakerOptions(opts...))

	agents := make(map[string]AgentClient, len(sims))
	for name, sim := range sims {
		agents[name] = NewAgentClientBreaker(sim, breakers.Get(name))
	}

	queues := make(map[string][]Task, len(names))
	for id := 1; id <= tasksPerAgent*len(names); id++ {
		name := names[(id-1)%len(names)]
		queues[name] = append(queues[name], Task{ID: id, Payload: fmt.Sprintf("shard-%02d", id)})
	}

	log.Info("coordinator starting", "agents", len(names), "tasks", tasksPerAgent*len(names),
		"failure_threshold", failureThreshold, "cooldown", sc.Cooldown)
	coord := &Coordinator{Agents: agents, Logger: log, Sleep: sc.Sleep}
	results, err := coord.Run(ctx, queues)
	if err == nil {
		log.Info("all tasks done", "results", len(results))
	}

	// Shut down even when ctx is done, within a second.
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	for _, name := range names {
		st, err := agents[name].Status(shutdown)
		if err != nil {
			log.Warn("agent status unavailable", "agent", name, "err", err)
			continue
		}
		log.Info("agent status", "agent", st.Name, "calls", st.Calls, "completed", st.Completed, "failed", st.Failed)
	}
	for _, b := range breakers.All() {
		log.Info("breaker stats", "breaker", b.Name(), "stats", b.Stats())
	}
	for _, name := range names {
		if err := agents[name].Close(); err != nil {
			log.Warn("close agent", "agent", name, "err", err)
		}
	}
	log.Info("agents closed")
	slices.SortFunc(results, func(a, b Result) int { return a.TaskID - b.TaskID })
	return outcome{Results: results, Agents: sims, Breakers: breakers}, err
}

// storyLogger logs text records to w, each stamped with the time since the
// start of the run instead of the wall clock.
func storyLogger(w io.Writer) *slog.Logger {
	start := time.Now()
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Duration("t", time.Since(start).Round(time.Millisecond))
			}
			return a
		},
	}))
}
