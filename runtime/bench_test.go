package runtime

import (
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

var sink int

//go:noinline
func work(i int) (int, error) { return i, nil }

func BenchmarkAllowDone(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := cb.Allow()
			if err != nil {
				b.Fatal(err)
			}
			v, err := work(i)
			p.Done(err)
			sink += v
		}
	})
	b.Run("deferred", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, _ := guarded(cb, i)
			sink += v
		}
	})
	b.Run("parallel", func(b *testing.B) {
		cb := New("bench")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				v, _ := guarded(cb, i)
				i += v
			}
		})
	})
}

// guarded is the shape of a generated method.
func guarded(cb *Breaker, i int) (int, error) {
	p, err := cb.Allow()
	if err != nil {
		return 0, err
	}
	defer p.Release()
	v, err := work(i)
	p.Done(err)
	return v, err
}

func BenchmarkReject(b *testing.B) {
	var now time.Time
	cb := New("bench", withClock(func() time.Time { return now }))
	cb.ForceOpen()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := guarded(cb, i); !errors.Is(err, ErrOpen) {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := guarded(cb, 0); err == nil {
					b.Fatal("admitted")
				}
			}
		})
	})
}

func BenchmarkDirect(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, _ := work(i)
		sink += v
	}
}

// benchPolicies are the opt-in trip policies, each on top of the defaults,
// for BenchmarkPolicies. None of them may open the circuit while every call
// succeeds quickly.
var benchPolicies = []struct {
	name string
	opts []Option
}{
	{"default", nil},
	{"shadow", []Option{WithShadow()}},
	{"rate-lastn", []Option{WithFailureRate(0.5, LastN(100), 20)}},
	{"rate-over", []Option{WithFailureRate(0.5, Over(10*time.Second, 10), 20)}},
	{"rate-lastn-slow", []Option{WithFailureRate(0.5, LastN(100), 20), WithSlowCalls(time.Second, 0.5)}},
	{"backoff", []Option{WithBackoff(2, 5*time.Minute, 0.2)}},
	{"maxwait", []Option{WithHalfOpenMaxWait(5 * time.Second)}},
	{"successes", []Option{WithHalfOpenProbes(2, 2), withSuccesses(5)}},
}

// BenchmarkPolicies measures the closed-state success path, in the shape of
// a generated method, of a breaker with each trip policy.
func BenchmarkPolicies(b *testing.B) {
	for _, pol := range benchPolicies {
		b.Run("serial/"+pol.name, func(b *testing.B) {
			cb := New("bench", pol.opts...)
			b.ReportAllocs()
			total := 0
			for i := 0; i < b.N; i++ {
				v, err := guarded(cb, 1)
				if err != nil {
					b.Fatal(err)
				}
				total += v
			}
			b.StopTimer()
			checkStayedClosed(b, cb, total)
		})
	}
	for _, pol := range benchPolicies {
		b.Run("parallel/"+pol.name, func(b *testing.B) {
			cb := New("bench", pol.opts...)
			b.ReportAllocs()
			var total atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				n := 0
				for pb.Next() {
					v, err := guarded(cb, 1)
					if err != nil {
						b.Error(err)
						return
					}
					n += v
				}
				total.Add(int64(n))
			})
			b.StopTimer()
			checkStayedClosed(b, cb, int(total.Load()))
		})
	}
}

// checkStayedClosed fails the benchmark unless cb is still closed and
// counted each of its b.N calls as a success.
func checkStayedClosed(b *testing.B, cb *Breaker, calls int) {
	b.Helper()
	s := cb.Stats()
	if s.State != Closed || s.Totals[Success] != uint64(calls) || s.Totals[Failure] != 0 || s.TotalSlow != 0 || s.transitions() != 0 {
		b.Fatalf("after %d calls: %+v", calls, s)
	}
	if calls != b.N {
		b.Fatalf("%d calls counted, b.N = %d", calls, b.N)
	}
}

// BenchmarkSetGet measures Set.Get of a key present: one key from one
// goroutine, one hot key from every processor, and 100,000 keys from
// every processor (each lookup most likely a cache miss).
func BenchmarkSetGet(b *testing.B) {
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = "agent-" + strconv.Itoa(i)
	}
	set := NewSet("agents")
	for _, k := range keys {
		set.Get(k)
	}
	b.Run("serial", func(b *testing.B) {
		for range b.N {
			if set.Get("agent-7") == nil {
				b.Fatal("nil")
			}
		}
	})
	b.Run("parallel-hot", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if set.Get("agent-7") == nil {
					b.Fatal("nil")
				}
			}
		})
	})
	b.Run("parallel-spread", func(b *testing.B) {
		var seed atomic.Uint64
		b.RunParallel(func(pb *testing.PB) {
			i := int(seed.Add(7919))
			for pb.Next() {
				i = (i + 7919) % len(keys)
				if set.Get(keys[i]) == nil {
					b.Fatal("nil")
				}
			}
		})
	})
}
