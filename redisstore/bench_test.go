package redisstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// The benchmarks run against one redis-server started by the benchmark.
// rediscmds/call counts every command the server processed during the
// measured loop (INFO commandstats, without the INFO itself), divided by
// the calls made.
//
//	go test -run '^$' -bench . -count 6 ./... | benchstat -col /sharing -

// dependency stands for the wrapped client's method.
//
//go:noinline
func dependency() (int, error) { return 1, nil }

// guarded calls dependency the way a generated wrapper does.
func guarded(cb *runtime.Breaker) (int, error) {
	p, err := cb.Allow()
	if err != nil {
		return 0, err
	}
	defer p.Release()
	v, err := dependency()
	p.Done(err)
	return v, err
}

// countCommands runs the measured part of b and reports the server's
// commands per call.
func countCommands(b *testing.B, srv *redisServer, calls func() int64, run func()) {
	before, err := srv.commands()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	run()
	b.StopTimer()
	after, err := srv.commands()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(after-before)/float64(calls()), "rediscmds/call")
}

// benchReplica returns a breaker sharing through a Store of its own client.
// PingEvery is long, so the subscription's health checks do not land in
// the measurement.
func benchReplica(b *testing.B, srv *redisServer, name string) *runtime.Breaker {
	c := redis.NewClient(&redis.Options{Addr: srv.addr(), ContextTimeoutEnabled: true})
	b.Cleanup(func() { c.Close() })
	s, err := New(c, Options{Prefix: testPrefix, Replica: name, PingEvery: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return runtime.New("agent", shared.WithStore(s))
}

// BenchmarkClosed is the closed-state success path of one breaker with
// and without sharing.
func BenchmarkClosed(b *testing.B) {
	srv := startRedis(b)
	for _, sharing := range []string{"off", "on"} {
		b.Run("sharing="+sharing, func(b *testing.B) {
			srv.do("FLUSHALL")
			cb := runtime.New("agent")
			if sharing == "on" {
				cb = benchReplica(b, srv, "r0")
				waitSubscribed(b, srv.addr(), 1)
				time.Sleep(50 * time.Millisecond) // the replica's first load
			}
			b.ReportAllocs()
			n := 0
			countCommands(b, srv, func() int64 { return int64(n) }, func() {
				for b.Loop() {
					guarded(cb)
					n++
				}
			})
		})
	}
}

// BenchmarkTwoReplicas measures calls per second through one breaker from
// 4 goroutines in 2 replicas (2 each), each replica with its own client:
// breakergen sharing through a Store, and gobreaker's
// DistributedCircuitBreaker on the same redis-server.
func BenchmarkTwoReplicas(b *testing.B) {
	srv := startRedis(b)
	b.Run("impl=breakergen", func(b *testing.B) {
		srv.do("FLUSHALL")
		cbs := []*runtime.Breaker{benchReplica(b, srv, "r0"), benchReplica(b, srv, "r1")}
		waitSubscribed(b, srv.addr(), 2)
		time.Sleep(50 * time.Millisecond)
		fourGoroutines(b, srv, func(g int) error {
			_, err := guarded(cbs[g%2])
			return err
		})
	})
	b.Run("impl=gobreaker", func(b *testing.B) {
		srv.do("FLUSHALL")
		var dcbs []*gobreaker.DistributedCircuitBreaker[int]
		for range 2 {
			c := redis.NewClient(&redis.Options{Addr: srv.addr()})
			b.Cleanup(func() { c.Close() })
			dcb, err := gobreaker.NewDistributedCircuitBreaker[int](&gobreakerStore{c: c}, gobreaker.Settings{Name: "agent"})
			if err != nil {
				b.Fatal(err)
			}
			dcbs = append(dcbs, dcb)
		}
		fourGoroutines(b, srv, func(g int) error {
			_, err := dcbs[g%2].Execute(dependency)
			return err
		})
	})
}

// fourGoroutines makes b.N calls from 4 goroutines and reports calls/s
// and the server's commands per call.
func fourGoroutines(b *testing.B, srv *redisServer, call func(g int) error) {
	var left atomic.Int64
	left.Store(int64(b.N))
	var failed atomic.Int64
	var start time.Time
	countCommands(b, srv, func() int64 { return int64(b.N) }, func() {
		start = time.Now()
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for left.Add(-1) >= 0 {
					if call(g) != nil {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d calls failed", n, b.N)
	}
}

// gobreakerStore is gobreaker's SharedDataStore on the same client
// library: the lock is SET NX PX, retried every millisecond until it is
// taken (gobreaker itself would wait 500ms after a failed Lock).
type gobreakerStore struct {
	c *redis.Client
}

func (s *gobreakerStore) Lock(name string) error {
	ctx := context.Background()
	for {
		ok, err := s.c.SetNX(ctx, name, "locked", 5*time.Second).Result()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

func (s *gobreakerStore) Unlock(name string) error {
	return s.c.Del(context.Background(), name).Err()
}

func (s *gobreakerStore) GetData(name string) ([]byte, error) {
	data, err := s.c.Get(context.Background(), name).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	return data, err
}

func (s *gobreakerStore) SetData(name string, data []byte) error {
	return s.c.Set(context.Background(), name, data, 0).Err()
}
