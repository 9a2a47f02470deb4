package runtime_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/breakergen/breakergen/runtime"
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
		runtime.WithClock(clk.now),
		runtime.WithOnStateChange(func(name string, from, to runtime.State) {
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
			fmt.Printf("rejected by %s, retry after %v\n", open.Name, open.RetryAfter > 0)
			continue
		}
		fmt.Println(err)
	}
	fmt.Println("calls that reached the service:", calls)
	// Output:
	// inventory service down
	// rejected by inventory, retry after true
	// rejected by inventory, retry after true
	// calls that reached the service: 1
}

func ExampleSet() {
	agents := runtime.NewSet("agents", runtime.WithFailureThreshold(2))
	for range 2 {
		runtime.Do(agents.Get("agent-2"), func() (struct{}, error) {
			return struct{}{}, errors.New("timeout")
		})
	}
	runtime.Do(agents.Get("agent-1"), func() (struct{}, error) { return struct{}{}, nil })
	for _, s := range agents.Stats() {
		fmt.Printf("%s: %s, %d failures\n", s.Name, s.State, s.TotalFailures)
	}
	// Output:
	// agents/agent-1: closed, 0 failures
	// agents/agent-2: open, 2 failures
}
