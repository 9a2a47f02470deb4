package redisstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// A replica is one process's breaker for the dependency "agent", with its
// own Redis client and Store, as each replica of a service has.
type replica struct {
	client *redis.Client
	store  *Store
	cb     *runtime.Breaker
}

const testPrefix = "test"

func newReplica(t testing.TB, addr, name string, opts ...runtime.Option) *replica {
	t.Helper()
	r := &replica{client: newClient(t, addr)}
	store, err := New(r.client, Options{Prefix: testPrefix, Replica: name, PingEvery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.store = store
	t.Cleanup(func() { store.Close() })
	r.cb = runtime.New("agent", append([]runtime.Option{shared.WithStore(store)}, opts...)...)
	return r
}

// newReplicas starts n replicas named r0, r1, ... and waits until each has
// loaded the shared state.
func newReplicas(t testing.TB, addr string, n int, opts ...runtime.Option) []*replica {
	t.Helper()
	var rs []*replica
	for i := range n {
		rs = append(rs, newReplica(t, addr, "r"+strconv.Itoa(i), opts...))
	}
	waitSubscribed(t, addr, n)
	return rs
}

// waitSubscribed waits until n clients are subscribed to the channel of
// testPrefix.
func waitSubscribed(t testing.TB, addr string, n int) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	eventually(t, 2*time.Second, fmt.Sprintf("%d subscribers", n), func() bool {
		m, err := c.PubSubNumSub(context.Background(), testPrefix+":"+channel).Result()
		return err == nil && m[testPrefix+":"+channel] == int64(n)
	})
}

// eventually polls cond every millisecond until it holds, failing the
// test after limit.
func eventually(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", limit, what)
		}
		time.Sleep(time.Millisecond)
	}
}

var errDown = errors.New("agent down")

// call makes one call through cb to a dependency that fails if down; it
// reports whether the call reached the dependency, and fails the test on
// any error but the dependency's and a rejection.
func call(t testing.TB, cb *runtime.Breaker, down bool) (reached bool) {
	_, err := runtime.Do(cb, func() (int, error) {
		reached = true
		if down {
			return 0, errDown
		}
		return 1, nil
	})
	if err != nil && !errors.Is(err, errDown) && !errors.Is(err, runtime.ErrOpen) {
		t.Errorf("call failed with %v", err)
	}
	return reached
}

// allState waits until every replica's breaker is in state s.
func allState(t testing.TB, rs []*replica, limit time.Duration, s runtime.State) {
	t.Helper()
	for i, r := range rs {
		eventually(t, limit, fmt.Sprintf("replica %d %v", i, s), func() bool { return r.cb.Stats().State == s })
	}
}

// The replica processes: the test binary, run again with
// REDISSTORE_REPLICA set, serves one breaker over stdin and stdout.

func TestMain(m *testing.M) {
	if os.Getenv("REDISSTORE_REPLICA") != "" {
		serveReplica()
		return
	}
	os.Exit(m.Run())
}

// serveReplica runs one replica process: a breaker configured from the
// environment, driven by one command per line, each answered by one line:
//
//	call ok|fail  reached|rejected  (a call to a dependency that succeeds or fails)
//	call hang     started|rejected  (a call that never returns)
//	state         closed|open|half-open
//	forceopen     ok
//	reset         ok
func serveReplica() {
	threshold, _ := strconv.Atoi(os.Getenv("REDISSTORE_THRESHOLD"))
	cooldown, _ := time.ParseDuration(os.Getenv("REDISSTORE_COOLDOWN"))
	opts := []runtime.Option{runtime.WithFailureThreshold(threshold), runtime.WithCooldown(cooldown)}
	if os.Getenv("REDISSTORE_SHARE") == "1" {
		client := redis.NewClient(&redis.Options{Addr: os.Getenv("REDISSTORE_ADDR"), ContextTimeoutEnabled: true})
		defer client.Close()
		store, err := New(client, Options{Prefix: testPrefix, Replica: os.Getenv("REDISSTORE_REPLICA")})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		defer store.Close()
		opts = append(opts, shared.WithStore(store))
	}
	cb := runtime.New("agent", opts...)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch cmd := in.Text(); cmd {
		case "call hang":
			// A call that never returns: if admitted as a probe, it
			// holds the probe lease until the test kills the process.
			_, err := runtime.Do(cb, func() (int, error) {
				fmt.Println("started")
				time.Sleep(time.Hour)
				return 1, nil
			})
			if errors.Is(err, runtime.ErrOpen) {
				fmt.Println("rejected")
			} else {
				fmt.Println("error:", err)
			}
		case "call ok", "call fail":
			reached := false
			_, err := runtime.Do(cb, func() (int, error) {
				reached = true
				if cmd == "call fail" {
					return 0, errDown
				}
				return 1, nil
			})
			switch {
			case reached:
				fmt.Println("reached")
			case errors.Is(err, runtime.ErrOpen):
				fmt.Println("rejected")
			default:
				fmt.Println("error:", err)
			}
		case "state":
			fmt.Println(cb.Stats().State)
		case "forceopen":
			cb.ForceOpen()
			fmt.Println("ok")
		case "reset":
			cb.Reset()
			fmt.Println("ok")
		default:
			fmt.Println("unknown command", cmd)
		}
	}
}

// A proc is a replica process.
type proc struct {
	t   testing.TB
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
	mu  sync.Mutex
}

func startProc(t testing.TB, name string, env ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	dieWithTest(cmd)
	cmd.Env = append(os.Environ(), append(env, "REDISSTORE_REPLICA="+name)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, in: in, out: bufio.NewScanner(out)}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return p
}

// ask sends one command and returns the answer.
func (p *proc) ask(cmd string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := fmt.Fprintln(p.in, cmd); err != nil {
		p.t.Fatalf("replica process: %v", err)
	}
	if !p.out.Scan() {
		p.t.Fatalf("replica process ended: %v", p.out.Err())
	}
	if a := p.out.Text(); !strings.HasPrefix(a, "error") {
		return a
	} else {
		p.t.Fatalf("replica process: %s", a)
	}
	return ""
}

// probesReaching has perReplica goroutines per breaker call it, each call
// held at the dependency, for 300ms (a cooldown of 100ms and 200ms more),
// and returns how many calls reached the dependency.
func probesReaching(cbs []*runtime.Breaker, perReplica int) int64 {
	var reached atomic.Int64
	gate := make(chan struct{})
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range perReplica * len(cbs) {
		wg.Go(func() {
			for !stop.Load() {
				_, _ = runtime.Do(cbs[g%len(cbs)], func() (int, error) {
					reached.Add(1)
					<-gate
					return 1, nil
				})
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	got := reached.Load()
	stop.Store(true)
	close(gate)
	wg.Wait()
	return got
}
