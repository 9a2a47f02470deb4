package breakertest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

func TestTrip(t *testing.T) {
	tests := []struct {
		name string
		opts []runtime.Option
		want int
	}{
		{"default", nil, 5},
		{"threshold 2", []runtime.Option{runtime.WithFailureThreshold(2)}, 2},
		{"failure rate", []runtime.Option{runtime.WithFailureRate(0.5, runtime.LastN(10), 4)}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := runtime.New("dep", tt.opts...)
			var d breakertest.Dependency
			if n := breakertest.Trip(t, cb, &d, func() error { return guard(cb, d.Call) }); n != tt.want {
				t.Fatalf("Trip made %d calls, want %d", n, tt.want)
			}
			if s := cb.Stats().State; s != runtime.Open {
				t.Fatalf("after Trip the breaker is %v", s)
			}
			if err := d.Call(); err != breakertest.ErrDown {
				t.Fatalf("after Trip the dependency returns %v, want it failing", err)
			}
		})
	}
}

func TestTripFails(t *testing.T) {
	t.Run("not closed", func(t *testing.T) {
		cb := runtime.New("dep")
		cb.ForceOpen()
		var d breakertest.Dependency
		wantFailure(t, `breaker "dep" is open, want closed`, func(tb testing.TB) {
			breakertest.Trip(tb, cb, &d, func() error { return guard(cb, d.Call) })
		})
	})
	t.Run("call bypasses the breaker", func(t *testing.T) {
		cb := runtime.New("dep")
		var d breakertest.Dependency
		wantFailure(t, `breaker "dep" is closed after 5 failing calls, want open`, func(tb testing.TB) {
			breakertest.Trip(tb, cb, &d, d.Call)
		})
	})
	t.Run("error replaced", func(t *testing.T) {
		cb := runtime.New("dep")
		var d breakertest.Dependency
		wantFailure(t, `failing call 1 of breaker "dep" returned dependency failed, want breakertest: dependency down`, func(tb testing.TB) {
			breakertest.Trip(tb, cb, &d, func() error {
				if err := guard(cb, d.Call); err != nil {
					return errors.New("dependency failed")
				}
				return nil
			})
		})
	})
	t.Run("call skips the dependency", func(t *testing.T) {
		cb := runtime.New("dep")
		var d breakertest.Dependency
		wantFailure(t, `failing call 1 of breaker "dep" reached the dependency 0 times, want 1`, func(tb testing.TB) {
			breakertest.Trip(tb, cb, &d, func() error { return guard(cb, func() error { return breakertest.ErrDown }) })
		})
	})
}

func TestRejected(t *testing.T) {
	cb := runtime.New("dep", runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))
	var d breakertest.Dependency
	call := func() error { return guard(cb, d.Call) }
	breakertest.Trip(t, cb, &d, call)
	r := breakertest.Rejected(t, cb, &d, call)
	if !strings.HasPrefix(r.Error(), `circuit breaker "dep" is open;`) || r.RetryAfter() <= 0 || r.RetryAfter() > time.Minute {
		t.Fatalf("Rejected returned %q, want the open breaker's rejection", r)
	}
	if n := d.Calls(); n != 1 {
		t.Fatalf("the dependency got %d calls, want the 1 that tripped the breaker", n)
	}
}

func TestRejectedFails(t *testing.T) {
	cb := runtime.New("dep", runtime.WithFailureThreshold(1))
	other := runtime.New("other", runtime.WithFailureThreshold(1))
	var d breakertest.Dependency
	breakertest.Trip(t, cb, &d, func() error { return guard(cb, d.Call) })
	breakertest.Trip(t, other, &d, func() error { return guard(other, d.Call) })

	tests := []struct {
		name, want string
		call       func() error
	}{
		{
			"call reaches the dependency anyway",
			`the call reached the dependency (returning circuit breaker "dep" is open; retry in 30s), want it rejected by breaker "dep"`,
			func() error {
				err := guard(cb, d.Call)
				if errors.Is(err, runtime.ErrOpen) {
					d.Call()
				}
				return err
			},
		},
		{
			"rejection hidden",
			"the call returned unavailable, want a *runtime.CircuitBreakerError that matches runtime.ErrOpen",
			func() error {
				if err := guard(cb, d.Call); err != nil {
					return errors.New("unavailable")
				}
				return nil
			},
		},
		{
			"rejection wrapped",
			"",
			func() error { return fmt.Errorf("dispatch: %w", guard(cb, d.Call)) },
		},
		{
			"rejected by another breaker",
			`\"other\" is open; retry in 30s", want a rejection by breaker "dep"`,
			func() error { return guard(other, d.Call) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := func(tb testing.TB) { breakertest.Rejected(tb, cb, &d, tt.call) }
			if tt.want == "" {
				wantPass(t, f)
			} else {
				wantFailure(t, tt.want, f)
			}
		})
	}
}

func TestHalfOpen(t *testing.T) {
	clk := new(breakertest.Clock)
	cb := runtime.New("dep", clk.Option(), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))
	var d breakertest.Dependency
	breakertest.Trip(t, cb, &d, func() error { return guard(cb, d.Call) })
	clk.Advance(20 * time.Second)
	breakertest.HalfOpen(t, cb, clk)
	if got, want := clk.Now(), (time.Time{}).Add(time.Minute); !got.Equal(want) {
		t.Fatalf("HalfOpen moved the clock to %v, want the end of the cooldown, %v", got, want)
	}
}

func TestHalfOpenFails(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		wantFailure(t, `breaker "dep" is closed, want open`, func(tb testing.TB) {
			breakertest.HalfOpen(tb, runtime.New("dep"), new(breakertest.Clock))
		})
	})
	t.Run("real clock", func(t *testing.T) {
		cb := runtime.New("dep", runtime.WithFailureThreshold(1))
		var d breakertest.Dependency
		breakertest.Trip(t, cb, &d, func() error { return guard(cb, d.Call) })
		wantFailure(t, `breaker "dep" is open after its cooldown of`, func(tb testing.TB) {
			breakertest.HalfOpen(tb, cb, new(breakertest.Clock))
		})
	})
	t.Run("forced open", func(t *testing.T) {
		clk := new(breakertest.Clock)
		cb := runtime.New("dep", clk.Option())
		cb.ForceOpen()
		wantFailure(t, `breaker "dep" is open after its cooldown of 30s`, func(tb testing.TB) {
			breakertest.HalfOpen(tb, cb, clk)
		})
	})
}

func TestCycle(t *testing.T) {
	for _, opts := range [][]runtime.Option{
		nil,
		{runtime.WithFailureThreshold(2), runtime.WithCooldown(10 * time.Second)},
		{runtime.WithFailureRate(0.5, runtime.Over(time.Minute, 6), 3)},
		{runtime.WithBackoff(2, time.Hour, 0.5)},
	} {
		clk := new(breakertest.Clock)
		cb := runtime.New("dep", append(opts, clk.Option())...)
		var d breakertest.Dependency
		call := func() error { return guard(cb, d.Call) }
		breakertest.Cycle(t, cb, clk, &d, call)
		breakertest.Cycle(t, cb, clk, &d, call) // again, from closed
		if err := d.Call(); err != nil {
			t.Fatalf("after Cycle the dependency returns %v, want it succeeding", err)
		}
	}
}

// TestCycleFails checks that Cycle catches wrappers that get the breaker
// wrong in each phase.
func TestCycleFails(t *testing.T) {
	tests := []struct {
		name, want string
		opts       []runtime.Option
		call       func(cb *runtime.Breaker, d *breakertest.Dependency) error
	}{
		{
			name: "no breaker",
			want: `breaker "dep" is closed after 5 failing calls, want open`,
			call: func(cb *runtime.Breaker, d *breakertest.Dependency) error { return d.Call() },
		},
		{
			name: "calls the dependency while open",
			want: `the call reached the dependency`,
			call: func(cb *runtime.Breaker, d *breakertest.Dependency) error {
				err := guard(cb, d.Call)
				if errors.Is(err, runtime.ErrOpen) {
					d.Call()
				}
				return err
			},
		},
		{
			name: "reports a success as a failure",
			want: `after a successful probe breaker "dep" is open, want closed`,
			call: func(cb *runtime.Breaker, d *breakertest.Dependency) error {
				p, err := cb.Allow()
				if err != nil {
					return err
				}
				defer p.Release()
				err = d.Call()
				p.Done(breakertest.ErrDown)
				return err
			},
		},
		{
			name: "two probes",
			want: `the call reached the dependency (returning <nil>), want it rejected`,
			opts: []runtime.Option{runtime.WithHalfOpenProbes(2, 2)},
			call: func(cb *runtime.Breaker, d *breakertest.Dependency) error { return guard(cb, d.Call) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := new(breakertest.Clock)
			cb := runtime.New("dep", append(tt.opts, clk.Option())...)
			var d breakertest.Dependency
			wantFailure(t, tt.want, func(tb testing.TB) {
				breakertest.Cycle(tb, cb, clk, &d, func() error { return tt.call(cb, &d) })
			})
		})
	}
}
