package runtime_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// A breaker in shadow mode opens and closes as it would, but lets every call
// through and counts the ones it would have rejected, so its options can be
// tried on live traffic before it enforces them.
func ExampleWithShadow() {
	clk := &clock{t: time.Unix(0, 0)}
	cb := runtime.New("agent-7",
		runtime.WithShadow(),
		runtime.WithFailureThreshold(2),
		runtime.WithCooldown(10*time.Second),
		breakertest.WithClock(clk.now),
		runtime.WithOnTransition(func(t runtime.Transition) {
			name, from, to := t.Name, t.From, t.To
			fmt.Printf("%s: %s -> %s (shadow)\n", name, from, to)
		}),
	)
	calls := 0
	dispatch := func(fail bool) error {
		_, err := runtime.Do(cb, func() (struct{}, error) {
			calls++
			if fail {
				return struct{}{}, errors.New("timeout")
			}
			return struct{}{}, nil
		})
		return err
	}
	for range 4 {
		dispatch(true) // the third and fourth would have been rejected
	}
	clk.advance(10 * time.Second)
	dispatch(false) // the probe closes the circuit
	s := cb.Stats()
	fmt.Printf("%d calls made, %d would have been rejected, shadow %v\n", calls, s.TotalRejected, cb.Config().Shadow)
	// Output:
	// agent-7: closed -> open (shadow)
	// agent-7: open -> half-open (shadow)
	// agent-7: half-open -> closed (shadow)
	// 5 calls made, 2 would have been rejected, shadow true
}

// A coordinator's Set gives one agent a longer cooldown and forgets the
// breakers of agents that have been idle for an hour, unless they are
// holding failures.
func ExampleWithIdleEviction() {
	clk := &clock{t: time.Unix(0, 0)}
	agents := runtime.NewSet("agents",
		runtime.WithBreakerOptions(breakertest.WithClock(clk.now)),
		runtime.WithIdleEviction(time.Hour),
		runtime.WithKeyOptions(func(key string) []runtime.Option {
			if key == "far-away" {
				return []runtime.Option{runtime.WithCooldown(5 * time.Minute)}
			}
			return nil
		}),
	)
	ok := func() (struct{}, error) { return struct{}{}, nil }
	runtime.Do(agents.Get("left"), ok)
	runtime.Do(agents.Get("far-away"), func() (struct{}, error) { return struct{}{}, errors.New("timeout") })
	for range 6 {
		clk.advance(15 * time.Minute)
		runtime.Do(agents.Get("busy"), ok)
	}
	var present []string
	for key, b := range agents.All() {
		s := b.Stats()
		present = append(present, fmt.Sprintf("%s: cooldown %v, %d failures", key, s.Cooldown, s.ConsecutiveFailures))
	}
	slices.Sort(present)
	fmt.Println(strings.Join(present, "\n"))
	// Output:
	// busy: cooldown 30s, 0 failures
	// far-away: cooldown 5m0s, 1 failures
}
