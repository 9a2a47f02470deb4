package rediscache

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/redis/go-redis/v9"
)

// TestRedisDown runs the cache against a real redis-server: it kills the
// server, sees the circuit open and the cache answer from the source
// without sending Redis a command, restarts the server and sees the
// circuit close after the cooldown.
func TestRedisDown(t *testing.T) {
	srv := startRedis(t)
	client := redis.NewClient(&redis.Options{Addr: srv.addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	var sent atomic.Int64 // commands the client sends Redis
	client.AddHook(countHook{&sent})
	clk := breakertest.NewClock(time.Now())
	cb := runtime.New("redis", runtime.WithClassifier(Classify), runtime.WithFailureThreshold(3), runtime.WithCooldown(10*time.Second), clk.Option())
	var reads atomic.Int64 // reads of the slow source
	source := func(ctx context.Context, key string) (string, error) {
		reads.Add(1)
		return "value of " + key, nil
	}
	cache := New(client, cb, source, time.Minute)
	ctx := context.Background()
	get := func(key string) {
		t.Helper()
		if v, err := cache.Get(ctx, key); err != nil || v != "value of "+key {
			t.Fatalf("Get(%s) = %q, %v", key, v, err)
		}
	}

	// Misses are answers: the circuit stays closed, and the second read
	// of a key comes from Redis.
	for _, key := range []string{"a", "b", "c", "d", "a"} {
		get(key)
	}
	if reads.Load() != 4 || cb.Stats().State != runtime.Closed {
		t.Fatalf("after 4 misses and a hit: %d source reads, %v; want 4, closed", reads.Load(), cb.Stats().State)
	}

	// Redis dies: three failed commands open the circuit, and every Get
	// still answers, from the source.
	srv.kill()
	for range 3 {
		get("a")
	}
	if cb.Stats().State != runtime.Open {
		t.Fatalf("after 3 failures: %v, want open", cb.Stats().State)
	}
	before, readsBefore := sent.Load(), reads.Load()
	for range 10 {
		get("a")
	}
	if n := sent.Load() - before; n != 0 {
		t.Errorf("%d commands sent to Redis while the circuit is open, want 0", n)
	}
	if n := reads.Load() - readsBefore; n != 10 {
		t.Errorf("%d source reads for 10 Gets while open, want 10", n)
	}
	if err := cache.redis.Get(ctx, "a").Err(); !errors.Is(err, runtime.ErrOpen) {
		t.Errorf("the wrapper's Get while open: %v, want runtime.ErrOpen", err)
	}

	// Redis comes back; after the cooldown one probe closes the circuit,
	// and values are cached again.
	srv.start(t)
	clk.Advance(10 * time.Second)
	get("a")
	if cb.Stats().State != runtime.Closed {
		t.Fatalf("after the cooldown and a probe: %v, want closed", cb.Stats().State)
	}
	readsBefore = reads.Load()
	get("a")
	if reads.Load() != readsBefore {
		t.Errorf("after recovery, a cached key was read from the source")
	}
}

// countHook counts the commands a client sends.
type countHook struct{ n *atomic.Int64 }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// A server is a redis-server on a loopback port, started by the test and
// stopped by its PID.
type server struct {
	path, addr, dir string
	cmd             *exec.Cmd
}

// startRedis starts redis-server on a free port. Without the binary it
// skips the test, unless in CI (CI=true), where it fails.
func startRedis(t *testing.T) *server {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server not found in PATH; CI must install it (apt-get install redis-server)")
		}
		t.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{path: path, addr: l.Addr().String(), dir: t.TempDir()}
	l.Close()
	s.start(t)
	t.Cleanup(s.kill)
	return s
}

// start runs the server and waits until it answers.
func (s *server) start(t *testing.T) {
	_, port, _ := net.SplitHostPort(s.addr)
	s.cmd = exec.Command(s.path, "--port", port, "--bind", "127.0.0.1", "--dir", s.dir, "--save", "", "--appendonly", "no")
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: s.addr, MaxRetries: -1})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer within 10s (pid %s)", s.addr, strconv.Itoa(s.cmd.Process.Pid))
		}
	}
}

// kill stops the server by its PID, as a crash would.
func (s *server) kill() {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}
