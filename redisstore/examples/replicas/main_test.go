package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestStory plays the example against a redis-server of its own and
// checks the story its log tells.
func TestStory(t *testing.T) {
	addr := startRedis(t)
	var out bytes.Buffer
	if err := run(context.Background(), &out, addr); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllString(log, -1)) }
	for _, c := range []struct {
		what string
		re   string
		want int
	}{
		// The three failures of one round, one per replica, add up to the
		// threshold: every replica opens on the shared evidence.
		{"replicas opening bravo", `breaker=agents/bravo from=closed to=open( remote=true origin=coordinator-\d)?\n`, 3},
		{"replicas opening bravo on their own evidence alone", `breaker=agents/bravo from=closed to=open\n`, 0},
		{"probes", `breaker=agents/bravo from=open to=half-open\n`, 1},
		{"replicas closing with their probe", `breaker=agents/bravo from=half-open to=closed\n`, 1},
		{"replicas adopting the closing", `breaker=agents/bravo from=open to=closed remote=true origin=coordinator-\d\n`, 2},
		{"state changes of other agents", `breaker=agents/(alpha|charlie)`, 0},
	} {
		if got := count(c.re); got != c.want {
			t.Errorf("%d %s, want %d", got, c.what, c.want)
		}
	}
	if t.Failed() {
		t.Log(log)
	}
}

func TestNoRedis(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	err = run(context.Background(), &bytes.Buffer{}, addr)
	if !errors.Is(err, errNoRedis) {
		t.Fatalf("run = %v, want errNoRedis", err)
	}
}

// startRedis starts a redis-server on a free loopback port for the test.
// Without the binary it skips, unless in CI (CI=true).
func startRedis(t *testing.T) string {
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
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", t.TempDir(),
		"--save", "", "--appendonly", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not answer within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return addr
}
