package runtime_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// clock is a fake clock for the examples, so they run instantly.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func ExampleNew() {
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("agent-7",
		runtime.WithFailureThreshold(3),
		runtime.WithCooldown(10*time.Second),
		breakertest.WithClock(clk.now),
		runtime.WithOnTransition(func(t runtime.Transition) {
			name, from, to := t.Name, t.From, t.To
			fmt.Printf("%s: %s -> %s\n", name, from, to)
		}),
	)
	dispatch := func(fail bool) error {
		p, err := cb.Allow()
		if err != nil {
			return err
		}
		defer p.Release()
		if fail {
			err = errors.New("agent unreachable")
		}
		p.Done(err)
		return err
	}
	for range 3 {
		dispatch(true)
	}
	clk.advance(4 * time.Second)
	fmt.Println(dispatch(false))
	clk.advance(6 * time.Second)
	fmt.Println(dispatch(false))
	// Output:
	// agent-7: closed -> open
	// circuit breaker "agent-7" is open; retry in 6s
	// agent-7: open -> half-open
	// agent-7: half-open -> closed
	// <nil>
}

func ExampleDo() {
	cb := runtime.New("inventory", runtime.WithFailureThreshold(1))
	calls := 0
	lookup := func() (int, error) {
		calls++
		return 0, errors.New("inventory service down")
	}
	for range 3 {
		_, err := runtime.Do(cb, lookup)
		var open *runtime.CircuitBreakerError
		if errors.As(err, &open) {
			fmt.Printf("rejected, retry after %v: %v\n", open.RetryAfter(), err)
			continue
		}
		fmt.Println(err)
	}
	fmt.Println("calls that reached the service:", calls)
	// Output:
	// inventory service down
	// rejected, retry after 30s: circuit breaker "inventory" is open; retry in 30s
	// rejected, retry after 30s: circuit breaker "inventory" is open; retry in 30s
	// calls that reached the service: 1
}

func ExampleSet() {
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithFailureThreshold(2)))
	for range 2 {
		runtime.Do(agents.Get("agent-2"), func() (struct{}, error) {
			return struct{}{}, errors.New("timeout")
		})
	}
	runtime.Do(agents.Get("agent-1"), func() (struct{}, error) { return struct{}{}, nil })
	for _, key := range []string{"agent-1", "agent-2"} {
		s := agents.Get(key).Stats()
		fmt.Printf("%s: %s, %d failures\n", key, s.State, s.Totals[runtime.Failure])
	}
	// Output:
	// agent-1: closed, 0 failures
	// agent-2: open, 2 failures
}

func ExampleWithFailureRate() {
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("search",
		// Open when half of the last 10 calls failed, once 10 are known.
		runtime.WithFailureRate(0.5, runtime.LastN(10), 10),
		runtime.WithCooldown(10*time.Second),
		breakertest.WithClock(clk.now),
	)
	search := func(fail bool) error {
		_, err := runtime.Do(cb, func() (int, error) {
			if fail {
				return 0, errors.New("search timed out")
			}
			return 1, nil
		})
		return err
	}
	report := func() {
		s := cb.Stats()
		fmt.Printf("%s: %.0f%% of %d calls failed\n", s.State, 100*s.FailureRate, s.WindowCalls)
	}

	// One call in five fails: normal for this dependency.
	for i := range 20 {
		search(i%5 == 0)
	}
	report()
	// Then one in two: never two failures in a row, but the rate opens it.
	for i := range 10 {
		search(i%2 == 0)
	}
	report()
	fmt.Println(search(false))
	// Output:
	// closed: 20% of 10 calls failed
	// open: 50% of 10 calls failed
	// circuit breaker "search" is open; retry in 10s
}

func ExampleWithBackoff() {
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("agent-3",
		runtime.WithFailureThreshold(1),
		runtime.WithCooldown(10*time.Second),
		// Double the cooldown at every failed probe, up to a minute. Real
		// code would add jitter, such as 0.2; it is 0 here so the output
		// is fixed.
		runtime.WithBackoff(2, time.Minute, 0),
		breakertest.WithClock(clk.now),
	)
	dispatch := func(fail bool) error {
		_, err := runtime.Do(cb, func() (int, error) {
			if fail {
				return 0, errors.New("agent unreachable")
			}
			return 1, nil
		})
		return err
	}
	// wait waits out the rejection that a call gets now.
	wait := func() {
		var open *runtime.CircuitBreakerError
		if errors.As(dispatch(false), &open) {
			fmt.Println(open)
			clk.advance(open.RetryAfter())
		}
	}

	dispatch(true) // the agent goes down
	for range 4 {
		wait()
		dispatch(true) // the probe fails
	}
	wait()
	fmt.Println(dispatch(false)) // the agent is back: the probe closes the circuit
	dispatch(true)               // a new outage starts from the base cooldown
	wait()
	// Output:
	// circuit breaker "agent-3" is open; retry in 10s
	// circuit breaker "agent-3" is open; retry in 20s
	// circuit breaker "agent-3" is open; retry in 40s
	// circuit breaker "agent-3" is open; retry in 1m0s
	// circuit breaker "agent-3" is open; retry in 1m0s
	// <nil>
	// circuit breaker "agent-3" is open; retry in 10s
}

func ExampleWithHalfOpenMaxWait() {
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("agent-5",
		runtime.WithFailureThreshold(1),
		runtime.WithCooldown(10*time.Second),
		runtime.WithHalfOpenMaxWait(5*time.Second),
		breakertest.WithClock(clk.now),
	)
	fail, _ := cb.Allow()
	fail.Done(errors.New("agent unreachable")) // opens the circuit
	clk.advance(10 * time.Second)

	hung, _ := cb.Allow() // the probe, which hangs
	_, err := cb.Allow()
	fmt.Println(err)
	clk.advance(5 * time.Second)
	fmt.Println(cb.Stats().State) // the probe is overdue: reopened for a cooldown
	_, err = cb.Allow()
	fmt.Println(err)

	clk.advance(10 * time.Second)
	probe, _ := cb.Allow()
	probe.Done(nil)
	hung.Done(errors.New("agent unreachable")) // too late: it no longer counts
	fmt.Println(cb.Stats().State)
	// Output:
	// circuit breaker "agent-5" is half-open; retry in 10s
	// open
	// circuit breaker "agent-5" is open; retry in 10s
	// closed
}

// Two probes at a time, and three successes to close the circuit: the
// probes run in waves until the third success.
func ExampleWithHalfOpenProbes() {
	clk := breakertest.NewClock(time.Unix(0, 0))
	cb := runtime.New("search", clk.Option(),
		runtime.WithFailureThreshold(1),
		runtime.WithHalfOpenProbes(2, 3))
	p, _ := cb.Allow()
	p.Done(errors.New("timeout")) // opens
	clk.Advance(30 * time.Second)
	first, _ := cb.Allow()
	second, _ := cb.Allow()
	_, err := cb.Allow()
	fmt.Println("a third probe at once:", err)
	first.Done(nil)
	second.Done(nil)
	fmt.Println("after two successes:", cb.Stats().State)
	third, _ := cb.Allow()
	third.Done(nil)
	fmt.Println("after three:", cb.Stats().State)
	// Output:
	// a third probe at once: circuit breaker "search" is half-open; retry in 30s
	// after two successes: half-open
	// after three: closed
}
