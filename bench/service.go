// Package bench compares the cost of guarding a call with breakergen's
// runtime against a direct call, a bare atomic load, sony/gobreaker and
// failsafe-go. It is a module of its own so that the comparison libraries
// stay out of the main go.mod. Run ./run.sh for a table.
package bench

import (
	"errors"
	"sync/atomic"

	"github.com/breakergen/breakergen/runtime"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/sony/gobreaker/v2"
)

// Service is the dependency every variant implements: one method with the
// shape a generated wrapper guards.
type Service interface {
	Get(n int) (int, error)
}

// mixer is the real dependency: cheap, but with work the compiler cannot
// remove, since it is always called through a Service value.
type mixer struct{ mul uint64 }

func (m *mixer) Get(n int) (int, error) {
	x := uint64(n)*m.mul + 0x632be59bd9b4e019
	x ^= x >> 29
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 32
	return int(x >> 1), nil
}

// mix is mixer.Get for mul, used to check results outside the timed loop.
func mix(mul uint64, n int) int {
	v, _ := (&mixer{mul: mul}).Get(n)
	return v
}

const mul = 0x9e3779b97f4a7c15

var errDown = errors.New("dependency down")

// failing always fails and counts how often it was reached, so a rejection
// benchmark can prove the dependency was never called.
type failing struct{ calls atomic.Int64 }

func (f *failing) Get(n int) (int, error) {
	f.calls.Add(1)
	return 0, errDown
}

// atomicGuard is the floor for any breaker: one atomic load and a branch.
type atomicGuard struct {
	next Service
	open atomic.Int64
}

func (g *atomicGuard) Get(n int) (int, error) {
	if g.open.Load() != 0 {
		return 0, errDown
	}
	return g.next.Get(n)
}

// ServiceBreaker is what breakergen -type=Service generates, written out
// by hand so that this module needs nothing but the runtime: the same
// fields, constructor and method body.
type ServiceBreaker struct {
	next Service
	cb   *runtime.Breaker
}

// NewServiceBreaker returns a ServiceBreaker that calls next through cb.
func NewServiceBreaker(next Service, cb *runtime.Breaker) *ServiceBreaker {
	return &ServiceBreaker{next: next, cb: cb}
}

// Get calls Get of the wrapped Service if the breaker allows it, and
// reports the error to the breaker. Otherwise it returns a
// *runtime.CircuitBreakerError without calling it.
func (b *ServiceBreaker) Get(n int) (r0 int, err error) {
	p, err := b.cb.Allow()
	if err != nil {
		return r0, err
	}
	defer p.Release()
	r0, err = b.next.Get(n)
	p.Done(err)
	return r0, err
}

var _ Service = (*ServiceBreaker)(nil)

// gobreakerService guards the call with gobreaker's Execute, which recovers
// and re-panics, so it is panic-safe like the generated shape.
type gobreakerService struct {
	next Service
	cb   *gobreaker.CircuitBreaker[int]
}

func (g *gobreakerService) Get(n int) (int, error) {
	return g.cb.Execute(func() (int, error) { return g.next.Get(n) })
}

// failsafeService uses failsafe-go's permit API directly, the cheapest way
// to use its circuit breaker (no executor, no closure). Unlike the other
// two it is not panic-safe: a panic in next would leak the permit.
type failsafeService struct {
	next Service
	cb   circuitbreaker.CircuitBreaker[int]
}

func (f *failsafeService) Get(n int) (int, error) {
	if !f.cb.TryAcquirePermit() {
		return 0, circuitbreaker.ErrOpen
	}
	v, err := f.next.Get(n)
	if err != nil {
		f.cb.RecordError(err)
	} else {
		f.cb.RecordSuccess()
	}
	return v, err
}
