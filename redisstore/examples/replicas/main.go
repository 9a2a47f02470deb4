// Replicas runs three replicas of a coordinator that share their agents'
// circuit breakers through a local redis-server, with the redisstore
// module. Each replica has its own Redis client and its own breakers (a
// runtime.Set per replica, as separate processes would); they take turns
// dispatching tasks to three agents. The agent bravo goes down for a
// while: the log shows every replica opening bravo's circuit together, as
// soon as their failures add up to the threshold (remote=true, origin the
// replica whose report completed it), instead of each failing three times
// on its own, one probe for the whole cluster once the cooldown is over,
// and every replica closing with its success.
//
// It needs a redis-server (Debian and Ubuntu: apt-get install
// redis-server):
//
//	redis-server --port 6379 --save '' --appendonly no &
//	cd redisstore/examples/replicas && go run . -redis 127.0.0.1:6379
//
// Its keys start with a prefix of their own and expire within a minute.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/breakergen/breakergen/redisstore"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("redis", "127.0.0.1:6379", "host:port of the redis-server the replicas share")
	flag.Parse()
	redis.SetLogger(quiet{}) // the story is in the breakers' log; errors end it in one line
	if err := run(context.Background(), os.Stdout, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "replicas:", err)
		os.Exit(1)
	}
}

// The scenario's timing: bravo is down from downAt to upAt; a circuit
// opens after threshold failures in a row and stays open for cooldown.
const (
	replicas  = 3
	tick      = 60 * time.Millisecond // each replica dispatches one task to each agent per tick
	downAt    = 300 * time.Millisecond
	upAt      = 800 * time.Millisecond
	threshold = 3
	cooldown  = 600 * time.Millisecond
	runFor    = 1800 * time.Millisecond
)

var errNoRedis = errors.New("no redis-server")

// run plays the scenario, logging to out.
func run(ctx context.Context, out io.Writer, addr string) error {
	if err := ping(ctx, addr); err != nil {
		return fmt.Errorf("%w at %s (%v): start one with `redis-server --port 6379 --save '' --appendonly no` (Debian: apt-get install redis-server), or pass -redis host:port", errNoRedis, addr, err)
	}
	start := time.Now()
	agents := map[string]*simAgent{
		"alpha":   {name: "alpha", start: start},
		"bravo":   {name: "bravo", start: start, down: downAt, up: upAt},
		"charlie": {name: "charlie", start: start},
	}
	names := []string{"alpha", "bravo", "charlie"}
	prefix := fmt.Sprintf("example-replicas-%d-%d", os.Getpid(), start.UnixNano())
	logger := slog.New(slog.NewTextHandler(&syncWriter{w: out}, &slog.HandlerOptions{ReplaceAttr: sinceStart(start)}))

	var wg sync.WaitGroup
	var sets []*runtime.Set
	for i := range replicas {
		name := fmt.Sprintf("coordinator-%d", i+1)
		client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
		defer client.Close()
		store, err := redisstore.New(client, redisstore.Options{Prefix: prefix, Replica: name, RecordTTL: time.Minute})
		if err != nil {
			return err
		}
		defer store.Close()
		set := runtime.NewSet("agents",
			runtime.WithBreakerOptions(shared.WithStore(store),
				runtime.WithFailureThreshold(threshold),
				runtime.WithCooldown(cooldown),
				runtime.WithLogger(logger.With("replica", name))))
		sets = append(sets, set)
		clients := map[string]AgentClient{}
		for _, n := range names {
			clients[n] = NewAgentClientBreaker(agents[n], set.Get(n))
		}
		// Serve once the breakers have read what the other replicas
		// shared, or go on locally if Redis does not answer in time.
		readyCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if err := shared.Ready(readyCtx, store); err != nil {
			logger.Warn("not sharing yet", "replica", name, "error", err)
		}
		cancel()
		wg.Go(func() {
			// The replicas take turns: each starts a third of a tick later.
			time.Sleep(time.Duration(i) * tick / replicas)
			t := time.NewTicker(tick)
			defer t.Stop()
			for task := 0; time.Since(start) < runFor; task++ {
				for _, n := range names {
					clients[n].Dispatch(ctx, fmt.Sprintf("task %d", task))
				}
				<-t.C
			}
		})
	}
	wg.Wait()

	calls, failed := agents["bravo"].counts()
	logger.Info("bravo", "calls", calls, "failed", failed)
	for i, set := range sets {
		logger.Info("stats", "replica", fmt.Sprintf("coordinator-%d", i+1), "breaker", set.Get("bravo").Stats())
	}
	return nil
}

func ping(ctx context.Context, addr string) error {
	client := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, MaxRetries: -1})
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return client.Ping(ctx).Err()
}

// sinceStart replaces the log's time with the time since start, rounded
// to 10ms, so the story reads as a timeline.
func sinceStart(start time.Time) func([]string, slog.Attr) slog.Attr {
	return func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Duration("t", time.Since(start).Round(10*time.Millisecond))
		}
		return a
	}
}

// quiet drops go-redis's own log lines.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// syncWriter serializes the replicas' log lines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
