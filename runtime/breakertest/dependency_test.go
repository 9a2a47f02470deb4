package breakertest_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/breakergen/breakergen/runtime/breakertest"
)

func TestDependency(t *testing.T) {
	var d breakertest.Dependency
	if err := d.Call(); err != nil {
		t.Fatalf("zero Dependency: Call() = %v, want nil", err)
	}
	errQuota := errors.New("quota")
	d.Fail(errQuota)
	if err := d.Call(); err != errQuota {
		t.Fatalf("after Fail(errQuota): Call() = %v", err)
	}
	d.Fail(nil)
	if err := d.Call(); err != nil {
		t.Fatalf("after Fail(nil): Call() = %v", err)
	}
	if n := d.Calls(); n != 3 {
		t.Fatalf("Calls() = %d after 3 calls", n)
	}
}

// TestDependencyDuring checks that each function given to During runs once,
// inside a call (counted already, before it returns its error), in order.
func TestDependencyDuring(t *testing.T) {
	var d breakertest.Dependency
	var ran []int
	d.During(func() { ran = append(ran, d.Calls()) })
	d.During(func() { ran = append(ran, 10*d.Calls()) })
	for range 3 {
		d.Call()
	}
	if want := []int{1, 20}; !slices.Equal(ran, want) {
		t.Fatalf("During functions saw Calls() = %v, want %v", ran, want)
	}

	// A call returns what Fail says once its During function has run.
	d.During(func() { d.Fail(breakertest.ErrDown) })
	if err := d.Call(); err != breakertest.ErrDown {
		t.Fatalf("Call() = %v after its During function called Fail(ErrDown)", err)
	}
}

// TestDependencyConcurrent calls one dependency from many goroutines while
// another flips it between failing and succeeding; run with -race.
func TestDependencyConcurrent(t *testing.T) {
	const goroutines, calls = 8, 500
	var d breakertest.Dependency
	var wg sync.WaitGroup
	stop := make(chan struct{})
	flipped := make(chan struct{})
	go func() {
		defer close(flipped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				d.Fail(breakertest.ErrDown)
			} else {
				d.Fail(nil)
			}
		}
	}()
	for range goroutines {
		wg.Go(func() {
			for range calls {
				if err := d.Call(); err != nil && err != breakertest.ErrDown {
					t.Errorf("Call() = %v", err)
				}
				d.During(func() {})
			}
		})
	}
	wg.Wait()
	close(stop)
	<-flipped
	if n := d.Calls(); n != goroutines*calls {
		t.Fatalf("Calls() = %d, want %d", n, goroutines*calls)
	}
}
