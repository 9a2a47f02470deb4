package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

var errBoom = errors.New("boom")

// step is one action in a transition table.
type step struct {
	op   string        // "ok", "fail", "cancel", "tick", "reset", "force"
	d    time.Duration // for "tick"
	want State         // state after the step
	// rejected means the call is expected to be rejected before reaching the
	// dependency, with RetryAfter retry.
	rejected bool
	retry    time.Duration
}

func TestTransitions(t *testing.T) {
	ok := func(want State) step { return step{op: "ok", want: want} }
	fail := func(want State) step { return step{op: "fail", want: want} }
	tick := func(d time.Duration, want State) step { return step{op: "tick", d: d, want: want} }
	rejected := func(want State, retry time.Duration) step {
		return step{op: "fail", want: want, rejected: true, retry: retry}
	}
	fails := func(n int, want State) []step {
		s := make([]step, n)
		for i := range s {
			s[i] = fail(Closed)
		}
		s[n-1].want = want
		return s
	}
	cat := func(parts ...[]step) []step {
		var all []step
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	tests := []struct {
		name  string
		opts  []Option
		steps []step
	}{
		{"defaults: the 5th consecutive failure opens", nil, fails(5, Open)},
		{"defaults: 4 failures stay closed", nil, fails(4, Closed)},
		{"a success resets the count", nil, cat(fails(4, Closed), []step{ok(Closed)}, fails(4, Closed), fails(1, Open))},
		{"open rejects with the rest of the cooldown", nil, cat(fails(5, Open), []step{
			rejected(Open, 30*time.Second),
			tick(12*time.Second, Open),
			rejected(Open, 18*time.Second),
			tick(18*time.Second-time.Millisecond-1, Open),
			rejected(Open, 2*time.Millisecond), // rounded up to the millisecond
			tick(time.Millisecond, Open),
			rejected(Open, time.Millisecond),
		})},
		{"after the cooldown a probe success closes", nil, cat(fails(5, Open), []step{
			tick(30*time.Second, HalfOpen),
			ok(Closed),
			fail(Closed),
		})},
		{"a probe failure reopens with a fresh cooldown", nil, cat(fails(5, Open), []step{
			tick(45*time.Second, HalfOpen),
			fail(Open),
			rejected(Open, 30*time.Second),
			tick(29*time.Second, Open),
			rejected(Open, time.Second),
			tick(time.Second, HalfOpen),
			ok(Closed),
		})},
		{"threshold 1 and cooldown 1s", []Option{WithFailureThreshold(1), WithCooldown(time.Second)}, []step{
			fail(Open),
			rejected(Open, time.Second),
			tick(time.Second, HalfOpen),
			ok(Closed),
		}},
		{"a canceled call is ignored", []Option{WithFailureThreshold(2)}, []step{
			fail(Closed),
			{op: "cancel", want: Closed},
			fail(Open),
		}},
		{"reset closes an open circuit", nil, cat(fails(5, Open), []step{
			{op: "reset", want: Closed},
		}, fails(4, Closed))},
		{"reset clears the count", nil, cat(fails(4, Closed), []step{{op: "reset", want: Closed}}, fails(4, Closed))},
		{"force open is sticky", nil, []step{
			{op: "force", want: Open},
			rejected(Open, 30*time.Second),
			tick(time.Hour, Open),
			rejected(Open, 30*time.Second),
			{op: "reset", want: Closed},
			ok(Closed),
		}},
		{"force open from half-open", []Option{WithFailureThreshold(1)}, []step{
			fail(Open),
			tick(30*time.Second, HalfOpen),
			{op: "force", want: Open},
			tick(time.Hour, Open),
			rejected(Open, 30*time.Second),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("test", append([]Option{withClock(clk.Now)}, tt.opts...)...)
			for i, s := range tt.steps {
				calls := 0
				call := func(err error) func() (int, error) {
					return func() (int, error) { calls++; return 1, err }
				}
				var err error
				switch s.op {
				case "ok":
					_, err = Do(cb, call(nil))
				case "fail":
					_, err = Do(cb, call(errBoom))
				case "cancel":
					_, err = Do(cb, call(fmt.Errorf("dispatch: %w", context.Canceled)))
				case "tick":
					clk.Advance(s.d)
				case "reset":
					cb.Reset()
				case "force":
					cb.ForceOpen()
				}
				if s.rejected {
					var cbe *CircuitBreakerError
					if !errors.As(err, &cbe) || !errors.Is(err, ErrOpen) {
						t.Fatalf("step %d (%s): err = %v, want a rejection", i, s.op, err)
					}
					if calls != 0 {
						t.Fatalf("step %d: a rejected call reached the dependency", i)
					}
					if cbe.RetryAfter() != s.retry || cbe.name != "test" {
						t.Fatalf("step %d: rejection = %+v, want RetryAfter %v", i, *cbe, s.retry)
					}
				} else if errors.Is(err, ErrOpen) {
					t.Fatalf("step %d (%s): unexpected rejection %v", i, s.op, err)
				}
				if got := cb.Stats().State; got != s.want {
					t.Fatalf("step %d (%s): state = %v, want %v", i, s.op, got, s.want)
				}
			}
		})
	}
}

func TestHalfOpenProbes(t *testing.T) {
	cb, _ := halfOpen("probes", WithHalfOpenProbes(3, 3))

	var probes []*Permit
	for range 3 {
		p, err := allowHeld(cb)
		if err != nil {
			t.Fatalf("probe rejected: %v", err)
		}
		probes = append(probes, p)
	}
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.state != HalfOpen || cbe.RetryAfter() != defaultCooldown {
		t.Fatalf("fourth call: err = %v, want a half-open rejection", err)
	}
	// An ignored probe frees its slot without changing the state.
	probes[0].Done(context.Canceled)
	if cb.Stats().State != HalfOpen {
		t.Fatalf("state after an ignored probe = %v", cb.Stats().State)
	}
	p, err := allowHeld(cb)
	if err != nil {
		t.Fatalf("freed slot not reusable: %v", err)
	}
	probes[0] = p
	for i, p := range probes {
		p.Done(nil)
		want := HalfOpen
		if i == len(probes)-1 {
			want = Closed
		}
		if got := cb.Stats().State; got != want {
			t.Fatalf("after %d probe successes: state = %v, want %v", i+1, got, want)
		}
	}
}

func TestProbeFailureAmongSuccesses(t *testing.T) {
	cb, _ := halfOpen("probes", WithHalfOpenProbes(2, 2))
	p1, _ := cb.Allow()
	p2, _ := cb.Allow()
	p1.Done(nil)
	p2.Done(errBoom)
	if got := cb.Stats().State; got != Open {
		t.Fatalf("state = %v, want open", got)
	}
}

func TestStaleGeneration(t *testing.T) {
	clk := newFakeClock()
	cb := New("stale", withClock(clk.Now), WithFailureThreshold(2), WithCooldown(10*time.Second))

	// A slow call admitted while closed finishes after the circuit opened:
	// its failure must not extend the cooldown.
	slow, _ := cb.Allow()
	for range 2 {
		p, _ := cb.Allow()
		p.Done(errBoom)
	}
	clk.Advance(9 * time.Second)
	slow.Done(errBoom)
	clk.Advance(time.Second)
	if got := cb.Stats().State; got != HalfOpen {
		t.Fatalf("late failure extended the cooldown: state = %v", got)
	}

	// A late success from the closed generation must not close the circuit
	// in place of the probe, nor use the probe's slot.
	late, _ := cb.Allow() // the probe
	stale := Permit{b: cb, word: 0}
	stale.Done(nil)
	if got := cb.Stats().State; got != HalfOpen {
		t.Fatalf("stale success changed the state to %v", got)
	}
	late.Done(errBoom)
	if got := cb.Stats().State; got != Open {
		t.Fatalf("probe failure: state = %v, want open", got)
	}

	// Results from before a Reset no longer count.
	cb.Reset()
	old, _ := cb.Allow()
	p, _ := cb.Allow()
	p.Done(errBoom)
	cb.Reset()
	old.Done(errBoom)
	if s := cb.Stats(); s.ConsecutiveFailures != 0 {
		t.Fatalf("failure from before Reset counted: %+v", s)
	}
	// Totals still count every reported outcome.
	if s := cb.Stats(); s.Totals[Failure] != 6 || s.Totals[Success] != 1 {
		t.Fatalf("totals = %d failures, %d successes; want 6, 1", s.Totals[Failure], s.Totals[Success])
	}
}

func TestClassifier(t *testing.T) {
	errRetryable := errors.New("retryable")
	errBadInput := errors.New("bad input")
	errNotFound := errors.New("not found")
	classify := func(err error) Outcome {
		switch {
		case errors.Is(err, errBadInput):
			return Ignore
		case errors.Is(err, errNotFound):
			return Success
		}
		return Failure
	}
	tests := []struct {
		name     string
		opts     []Option
		err      error
		failures int
		want     Outcome
	}{
		{"default: nil is success", nil, nil, 0, Success},
		{"default: error is failure", nil, errBoom, 1, Failure},
		{"default: wrapped canceled is ignored", nil, fmt.Errorf("call: %w", context.Canceled), 0, Ignore},
		{"default: deadline is failure", nil, context.DeadlineExceeded, 1, Failure},
		{"default: end of stream is success", nil, io.EOF, 0, Success},
		{"default: wrapped end of stream is failure", nil, fmt.Errorf("read header: %w", io.EOF), 1, Failure},
		{"default: unexpected end of stream is failure", nil, io.ErrUnexpectedEOF, 1, Failure},
		{"custom: failure", []Option{WithClassifier(classify)}, errRetryable, 1, Failure},
		{"custom: ignore", []Option{WithClassifier(classify)}, errBadInput, 0, Ignore},
		{"custom: success", []Option{WithClassifier(classify)}, errNotFound, 0, Success},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := New("c", tt.opts...)
			p, _ := cb.Allow()
			p.Done(errBoom) // one failure to see whether the next call resets it
			p, _ = cb.Allow()
			p.Done(tt.err)
			s := cb.Stats()
			wantConsec := map[Outcome]int{Success: 0, Failure: 2, Ignore: 1}[tt.want]
			if s.ConsecutiveFailures != wantConsec {
				t.Fatalf("consecutive failures = %d, want %d (%v)", s.ConsecutiveFailures, wantConsec, tt.want)
			}
			if int(s.Totals[Failure]) != 1+tt.failures {
				t.Fatalf("total failures = %d, want %d", s.Totals[Failure], 1+tt.failures)
			}
		})
	}
}

func TestAllowContext(t *testing.T) {
	clk := newFakeClock()
	cb := New("ctx", withClock(clk.Now), WithFailureThreshold(1))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cb.AllowContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("done context: err = %v, want context.Canceled", err)
	}

	// A failure observed after the caller gave up is not the dependency's.
	ctx, cancel = context.WithCancel(context.Background())
	p, err := cb.AllowContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	p.Done(errBoom)
	if cb.Stats().State != Closed {
		t.Fatalf("failure under a canceled context opened the circuit")
	}

	// A dead request must not use up the half-open probe.
	p, _ = cb.Allow()
	p.Done(errBoom)
	clk.Advance(defaultCooldown)
	dead, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cb.AllowContext(dead); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	probe, err := cb.AllowContext(context.Background())
	if err != nil {
		t.Fatalf("probe rejected after a dead request: %v", err)
	}
	probe.Done(nil)
	if cb.Stats().State != Closed {
		t.Fatalf("state = %v, want closed", cb.Stats().State)
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  CircuitBreakerError
		want string
	}{
		{CircuitBreakerError{name: "agent-7", state: Open, wait: 12345 * time.Millisecond}, `circuit breaker "agent-7" is open; retry in 12.3s`},
		{CircuitBreakerError{name: "agent-7", state: HalfOpen, wait: 30 * time.Second}, `circuit breaker "agent-7" is half-open; retry in 30s`},
		{CircuitBreakerError{name: "a", state: Open, wait: 850*time.Millisecond + 300*time.Microsecond}, `circuit breaker "a" is open; retry in 851ms`},
		{CircuitBreakerError{name: "a", state: Open, wait: 42}, `circuit breaker "a" is open; retry in 1ms`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	var err error = &CircuitBreakerError{name: "x"}
	if !errors.Is(fmt.Errorf("wrapped: %w", err), ErrOpen) {
		t.Error("errors.Is(wrapped rejection, ErrOpen) = false")
	}
	if errors.Is(errBoom, ErrOpen) {
		t.Error("errors.Is(errBoom, ErrOpen) = true")
	}
}

func TestStrings(t *testing.T) {
	for v, want := range map[fmt.Stringer]string{
		Closed: "closed", Open: "open", HalfOpen: "half-open", State(9): "State(9)",
		Success: "success", Failure: "failure", Ignore: "ignore", Outcome(7): "Outcome(7)",
	} {
		if got := v.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

func TestInvalidOptionsPanic(t *testing.T) {
	tests := []struct {
		name string
		opt  func() Option
		want string
	}{
		{"threshold", func() Option { return WithFailureThreshold(0) }, "WithFailureThreshold(0)"},
		{"cooldown", func() Option { return WithCooldown(0) }, "WithCooldown(0s)"},
		{"negative cooldown", func() Option { return WithCooldown(-time.Second) }, "WithCooldown(-1s)"},
		{"probes", func() Option { return WithHalfOpenProbes(0, 1) }, "WithHalfOpenProbes(0, 1)"},
		{"classifier", func() Option { return WithClassifier(nil) }, "WithClassifier(nil)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Fatalf("panic = %q, want it to name %s", msg, tt.want)
				}
			}()
			New("x", tt.opt())
		})
	}
}
