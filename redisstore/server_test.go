package redisstore

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a real redis-server that a test starts on a free
// loopback port, with a temporary directory and no persistence, and that
// stops with the test.
type redisServer struct {
	t    testing.TB
	path string
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
	// admin is the client of commands()
	admin *redis.Client
}

// startRedis starts a redis-server. Without the binary it skips the test,
// unless it runs in CI (CI=true), where it fails.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server not found in PATH; CI must install it (apt-get install redis-server)")
		}
		t.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run the Redis tests")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &redisServer{t: t, path: path, dir: t.TempDir(), port: port}
	s.start()
	t.Cleanup(s.kill)
	return s
}

func (s *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// start runs redis-server on s's port and waits until it answers.
func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.path,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--loglevel", "warning")
	dieWithTest(s.cmd)
	if f, err := os.OpenFile(filepath.Join(s.dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		s.cmd.Stdout, s.cmd.Stderr = f, f
		defer f.Close()
	}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	c := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server on %s did not answer within 10s", s.addr())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill stops redis-server at once, as a crash would.
func (s *redisServer) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// do runs one command on a client of its own.
func (s *redisServer) do(args ...any) error {
	c := redis.NewClient(&redis.Options{Addr: s.addr()})
	defer c.Close()
	return c.Do(context.Background(), args...).Err()
}

// commands returns the number of commands the server has processed, from
// INFO commandstats, without the INFO commands themselves.
func (s *redisServer) commands() (int64, error) {
	if s.admin == nil {
		// One connection for every count, so that its handshake is
		// counted once, before the first count.
		s.admin = redis.NewClient(&redis.Options{Addr: s.addr(), PoolSize: 1})
		s.t.Cleanup(func() { s.admin.Close() })
		s.admin.Ping(context.Background())
	}
	info, err := s.admin.Info(context.Background(), "commandstats").Result()
	if err != nil {
		return 0, err
	}
	var total int64
	for line := range strings.Lines(info) {
		// cmdstat_get:calls=3,usec=...
		i := strings.Index(line, ":calls=")
		if !strings.HasPrefix(line, "cmdstat_") || strings.HasPrefix(line, "cmdstat_info:") || i < 0 {
			continue
		}
		var calls int64
		fmt.Sscanf(line[i+len(":calls="):], "%d", &calls)
		total += calls
	}
	return total, nil
}

// newClient returns a client of the server for one replica, with short
// timeouts that follow the context's deadline.
func newClient(t testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr:                  addr,
		DialTimeout:           200 * time.Millisecond,
		ReadTimeout:           200 * time.Millisecond,
		WriteTimeout:          200 * time.Millisecond,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1,
	})
	t.Cleanup(func() { c.Close() })
	return c
}
