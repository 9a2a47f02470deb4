package bench

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/sony/gobreaker/v2"
)

// Every variant trips after 5 consecutive failures and stays open for 30s,
// on the real clock.
const (
	threshold = 5
	cooldown  = 30 * time.Second
)

// sink keeps results alive across benchmarks.
var sink atomic.Int64

// A variant builds one kind of guarded Service around next.
type variant struct {
	name string
	// wrap returns next guarded, in the closed state, and a check of the
	// guard's own bookkeeping after n successful calls ("" when fine).
	wrap func(next Service) (Service, func(n int) string)
	// rejects reports whether err is this guard's rejection error; nil for
	// variants that have no breaker.
	rejects func(err error) bool
}

func newRuntime(next Service) *ServiceBreaker {
	return NewServiceBreaker(next, runtime.New("bench",
		runtime.WithFailureThreshold(threshold),
		runtime.WithCooldown(cooldown)))
}

func newGobreaker(next Service) *gobreakerService {
	return &gobreakerService{next: next, cb: gobreaker.NewCircuitBreaker[int](gobreaker.Settings{
		Name:        "bench",
		Timeout:     cooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= threshold },
	})}
}

func newFailsafe(next Service) *failsafeService {
	return &failsafeService{next: next, cb: circuitbreaker.NewBuilder[int]().
		WithFailureThreshold(threshold).
		WithDelay(cooldown).
		Build()}
}

var variants = []variant{
	{
		name: "direct",
		wrap: func(next Service) (Service, func(int) string) { return next, nil },
	},
	{
		name: "atomic",
		wrap: func(next Service) (Service, func(int) string) { return &atomicGuard{next: next}, nil },
	},
	{
		name: "timer",
		wrap: func(next Service) (Service, func(int) string) {
			g := &timerGuard{next: next}
			return g, func(n int) string {
				if g.open.Load() || g.consec.Load() != 0 {
					return fmt.Sprintf("timer guard after %d successes: open %v, %d failures", n, g.open.Load(), g.consec.Load())
				}
				return ""
			}
		},
		rejects: func(err error) bool { return err == errTimerOpen },
	},
	{
		name: "breakergen",
		wrap: func(next Service) (Service, func(int) string) {
			s := newRuntime(next)
			return s, func(n int) string {
				st := s.cb.Stats()
				if st.State != runtime.Closed || st.Totals[runtime.Success] != uint64(n) || st.Totals[runtime.Failure] != 0 {
					return fmt.Sprintf("runtime stats after %d successes: %+v", n, st)
				}
				return ""
			}
		},
		rejects: func(err error) bool {
			var cbe *runtime.CircuitBreakerError
			return errors.As(err, &cbe) && strings.Contains(cbe.Error(), " is open; ") && cbe.RetryAfter() > 0 &&
				errors.Is(err, runtime.ErrOpen)
		},
	},
	{
		name: "gobreaker",
		wrap: func(next Service) (Service, func(int) string) {
			s := newGobreaker(next)
			return s, func(n int) string {
				c := s.cb.Counts()
				if s.cb.State() != gobreaker.StateClosed || c.TotalSuccesses != uint32(n) || c.TotalFailures != 0 {
					return fmt.Sprintf("gobreaker after %d successes: %v, %+v", n, s.cb.State(), c)
				}
				return ""
			}
		},
		rejects: func(err error) bool { return err == gobreaker.ErrOpenState },
	},
	{
		name: "failsafe",
		wrap: func(next Service) (Service, func(int) string) {
			s := newFailsafe(next)
			return s, func(n int) string {
				if !s.cb.IsClosed() || s.cb.Metrics().Failures() != 0 {
					return fmt.Sprintf("failsafe-go breaker after %d successes: %v, %d failures", n, s.cb.State(), s.cb.Metrics().Failures())
				}
				return ""
			}
		},
		rejects: func(err error) bool { return err == circuitbreaker.ErrOpen },
	},
}

// BenchmarkClosed is the success path of a closed breaker, one goroutine.
func BenchmarkClosed(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s, check := v.wrap(&mixer{mul: mul})
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for i := 0; i < b.N; i++ {
				r, err := s.Get(i)
				if err != nil {
					b.Fatal(err)
				}
				sum += r
			}
			b.StopTimer()
			want := 0
			for i := 0; i < b.N; i++ {
				want += mix(mul, i)
			}
			if sum != want {
				b.Fatalf("sum of results = %d, want %d", sum, want)
			}
			if check != nil {
				if msg := check(b.N); msg != "" {
					b.Fatal(msg)
				}
			}
			sink.Add(int64(sum))
		})
	}
}

// BenchmarkClosedParallel is the success path of a closed breaker shared by
// GOMAXPROCS goroutines.
func BenchmarkClosedParallel(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s, check := v.wrap(&mixer{mul: mul})
			var calls atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				sum, n := 0, 0
				for pb.Next() {
					r, err := s.Get(n)
					if err != nil {
						b.Error(err)
						return
					}
					sum += r
					n++
				}
				calls.Add(int64(n))
				sink.Add(int64(sum))
			})
			b.StopTimer()
			if got := calls.Load(); got != int64(b.N) {
				b.Fatalf("%d successful calls, want %d", got, b.N)
			}
			if check != nil {
				if msg := check(b.N); msg != "" {
					b.Fatal(msg)
				}
			}
		})
	}
}

// tripped returns the variant's guard around a dependency that always
// fails, opened by threshold failures that reached the dependency.
func tripped(b *testing.B, v variant) (Service, *failing) {
	dep := &failing{}
	s, _ := v.wrap(dep)
	for i := 0; i < threshold; i++ {
		if _, err := s.Get(i); !errors.Is(err, errDown) {
			b.Fatalf("call %d while closed: err = %v, want %v", i, err, errDown)
		}
	}
	_, err := s.Get(threshold)
	if !v.rejects(err) {
		b.Fatalf("after %d failures: err = %v (%T), want the breaker's rejection", threshold, err, err)
	}
	if n := dep.calls.Load(); n != threshold {
		b.Fatalf("dependency reached %d times, want %d", n, threshold)
	}
	return s, dep
}

// BenchmarkRejected is the open path: the breaker rejects without calling
// the dependency.
func BenchmarkRejected(b *testing.B) {
	for _, v := range variants {
		if v.rejects == nil {
			continue
		}
		b.Run(v.name, func(b *testing.B) {
			s, dep := tripped(b, v)
			b.ReportAllocs()
			b.ResetTimer()
			var last error
			for i := 0; i < b.N; i++ {
				_, err := s.Get(i)
				if err == nil {
					b.Fatal("call admitted by an open breaker")
				}
				last = err
			}
			b.StopTimer()
			if !v.rejects(last) {
				b.Fatalf("err = %v (%T), want the breaker's rejection", last, last)
			}
			if n := dep.calls.Load(); n != threshold {
				b.Fatalf("dependency reached %d times while open, want 0", n-threshold)
			}
		})
	}
}

// BenchmarkRejectedParallel is the open path with GOMAXPROCS goroutines.
func BenchmarkRejectedParallel(b *testing.B) {
	for _, v := range variants {
		if v.rejects == nil {
			continue
		}
		b.Run(v.name, func(b *testing.B) {
			s, dep := tripped(b, v)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var last error
				for i := 0; pb.Next(); i++ {
					_, err := s.Get(i)
					if err == nil {
						b.Error("call admitted by an open breaker")
						return
					}
					last = err
				}
				if last != nil && !v.rejects(last) {
					b.Errorf("err = %v (%T), want the breaker's rejection", last, last)
				}
			})
			b.StopTimer()
			if n := dep.calls.Load(); n != threshold {
				b.Fatalf("dependency reached %d times while open, want 0", n-threshold)
			}
		})
	}
}
