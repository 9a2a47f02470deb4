package runtime_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// The protocol every generated wrapper follows: Allow, defer Release, call,
// Done with the call's error. A rejected call never reaches the dependency.
func ExampleBreaker_Allow() {
	cb := runtime.New("payments", runtime.WithFailureThreshold(2))
	reached := 0
	charge := func() error {
		p, err := cb.Allow()
		if err != nil {
			return err // *CircuitBreakerError: the dependency was not called
		}
		defer p.Release() // a panic counts as a failure
		reached++
		err = errors.New("payments: 503")
		p.Done(err)
		return err
	}
	for range 3 {
		err := charge()
		fmt.Println(err, errors.Is(err, runtime.ErrOpen))
	}
	fmt.Println("reached:", reached, "state:", cb.Stats().State)
	// Output:
	// payments: 503 false
	// payments: 503 false
	// circuit breaker "payments" is open; retry in 30s true
	// reached: 2 state: open
}

// errNotFound is an answer of a healthy dependency, not a failure of it.
var errNotFound = errors.New("not found")

// A classifier decides how each error counts: here a "not found" answer
// is a success, so a run of them does not open the circuit.
func ExampleWithClassifier() {
	cb := runtime.New("users",
		runtime.WithFailureThreshold(2),
		runtime.WithClassifier(func(err error) runtime.Outcome {
			if errors.Is(err, errNotFound) {
				return runtime.Success
			}
			return runtime.Failure
		}),
	)
	for range 5 {
		p, err := cb.Allow()
		if err != nil {
			fmt.Println(err)
			return
		}
		p.Done(errNotFound)
	}
	fmt.Println(cb.Stats().State, cb.Stats().Totals[runtime.Success])
	// Output:
	// closed 5
}

// WithLogger logs each state change with log/slog: the opening at Warn,
// the others at Info. (The time is left out here so the output is stable.)
func ExampleWithLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("search",
		runtime.WithFailureThreshold(1),
		breakertest.WithClock(clk.now),
		runtime.WithLogger(logger),
	)
	p, _ := cb.Allow()
	p.Done(errors.New("timeout"))
	clk.advance(30 * time.Second)
	p, _ = cb.Allow()
	p.Done(nil)
	// Output:
	// level=WARN msg="circuit breaker state change" breaker=search from=closed to=open
	// level=INFO msg="circuit breaker state change" breaker=search from=open to=half-open
	// level=INFO msg="circuit breaker state change" breaker=search from=half-open to=closed
}
