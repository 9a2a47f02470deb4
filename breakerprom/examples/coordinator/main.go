// Coordinator is the coordinator scenario with its breakers exported to
// Prometheus: a coordinator dispatches tasks to four agents, each guarded by
// its breaker from a long-lived runtime.Set, and with -metrics it serves the
// breakers at /metrics.
//
//   - alpha is healthy.
//   - bravo is down for its first 4 calls: its circuit opens, a probe fails
//     and reopens it, the next closes it.
//   - charlie fails every third call; its circuit never opens.
//   - delta fails every other call. Its breaker is being calibrated in
//     shadow mode with a failure-rate policy (WithKeyOptions): it opens and
//     counts the calls it would have rejected, but rejects none.
//
// The Set evicts breakers idle for a minute (WithIdleEviction). It lives in
// the breakerprom module, not with the main module's examples, so that the
// main module never requires client_golang.
//
//	go run ./examples/coordinator                         # from breakerprom/: the story, then the stats
//	go run ./examples/coordinator -metrics 127.0.0.1:9464 # and serve /metrics until interrupted
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/breakergen/breakergen/breakerprom"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	addr := flag.String("metrics", "", "serve Prometheus metrics at http://`addr`/metrics and run until interrupted (off by default)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
	sc := scenario{Rounds: 40, Tick: 50 * time.Millisecond, Cooldown: 300 * time.Millisecond, Logger: logger}
	if *addr != "" {
		sc.Rounds = 0 // until interrupted
	}
	agents := newAgents(sc)
	if *addr != "" {
		url, stopServing, err := serveMetrics(*addr, agents)
		if err != nil {
			fmt.Fprintln(os.Stderr, "coordinator:", err)
			os.Exit(1)
		}
		defer stopServing()
		logger.Info("serving metrics", "url", url)
	}
	if err := run(ctx, sc, agents); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("coordinator stopped", "err", err)
		os.Exit(1)
	}
	for _, b := range agents.All() {
		logger.Info("breaker stats", "breaker", b.Name(), "stats", b.Stats())
	}
}

// serveMetrics serves the breakers of agents at http://addr/metrics until
// stop is called, and returns the URL.
func serveMetrics(addr string, agents *runtime.Set) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("serve metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", metricsHandler(agents))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/metrics", func() { srv.Close() }, nil
}

// metricsHandler serves the breakers of agents in the Prometheus
// exposition formats.
func metricsHandler(agents *runtime.Set) http.Handler {
	c := breakerprom.NewCollector()
	c.AddSet(agents)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// scenario is what a run can vary: tests bring their own clock.
type scenario struct {
	Rounds   int           // rounds of dispatch, one task per agent each; 0 runs until ctx is done
	Tick     time.Duration // the time between rounds
	Cooldown time.Duration
	Logger   *slog.Logger
	// Now and Sleep are the clock; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// names are the agents, in the order of each round.
var names = []string{"alpha", "bravo", "charlie", "delta"}

// newAgents returns the Set of the agents' breakers.
func newAgents(sc scenario) *runtime.Set {
	opts := []runtime.Option{
		runtime.WithCooldown(sc.Cooldown),
		runtime.WithFailureThreshold(3),
		runtime.WithLogger(sc.Logger),
	}
	if sc.Now != nil {
		opts = append(opts, breakertest.WithClock(sc.Now))
	}
	return runtime.NewSet("agents",
		runtime.WithBreakerOptions(opts...),
		runtime.WithIdleEviction(time.Minute),
		runtime.WithKeyOptions(func(key string) []runtime.Option {
			if key == "delta" { // calibrating a failure-rate policy before enforcing it
				return []runtime.Option{runtime.WithShadow(), runtime.WithFailureRate(0.4, runtime.LastN(10), 6)}
			}
			return nil
		}))
}

// agent is a simulated agent: fails reports whether its nth call fails.
type agent struct {
	calls int
	fails func(n int) bool
}

func (a *agent) dispatch() error {
	a.calls++
	if a.fails(a.calls) {
		return fmt.Errorf("call %d: agent unavailable", a.calls)
	}
	return nil
}

// run dispatches a task to every agent each round, through the agent's
// breaker, which it gets from the Set on every call as a long-lived
// coordinator does. An agent whose circuit is open is skipped until its
// RetryAfter has passed.
func run(ctx context.Context, sc scenario, breakers *runtime.Set) error {
	sims := map[string]*agent{
		"alpha":   {fails: func(int) bool { return false }},
		"bravo":   {fails: func(n int) bool { return n <= 4 }},
		"charlie": {fails: func(n int) bool { return n%3 == 0 }},
		"delta":   {fails: func(n int) bool { return n%2 == 0 }},
	}
	now := sc.Now
	if now == nil {
		now = time.Now
	}
	sleep := sc.Sleep
	if sleep == nil {
		sleep = realSleep
	}
	waitUntil := map[string]time.Time{}
	for round := 0; sc.Rounds == 0 || round < sc.Rounds; round++ {
		for _, name := range names {
			if now().Before(waitUntil[name]) {
				continue
			}
			_, err := runtime.Do(breakers.Get(name), func() (struct{}, error) {
				return struct{}{}, sims[name].dispatch()
			})
			if open, ok := errors.AsType[*runtime.CircuitBreakerError](err); ok {
				waitUntil[name] = now().Add(open.RetryAfter())
			}
		}
		if err := sleep(ctx, sc.Tick); err != nil {
			return err
		}
	}
	return nil
}

func realSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
