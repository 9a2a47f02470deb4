package runtime

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestStatsSurviveTransitions(t *testing.T) {
	clk := newFakeClock()
	cb := New("agent-7", withClock(clk.Now), WithFailureThreshold(2), WithCooldown(10*time.Second))
	fail := func() (int, error) { return 0, errBoom }
	ok := func() (int, error) { return 1, nil }
	Do(cb, ok)
	Do(cb, fail)
	Do(cb, fail) // opens
	Do(cb, ok)   // rejected
	clk.Advance(4 * time.Second)
	want := Stats{
		State: Open, ConsecutiveFailures: 2,
		Cooldown: 10 * time.Second, RetryAfter: 6 * time.Second,
		Totals: [3]uint64{Success: 1, Failure: 2}, TotalRejected: 1, Created: clk.start,
	}
	want.TransitionCounts[Closed][Open] = 1
	if got := cb.Stats(); got != want {
		t.Fatalf("Stats() = %+v\nwant       %+v", got, want)
	}
	clk.Advance(6 * time.Second)
	Do(cb, ok) // probe closes
	want.State, want.ConsecutiveFailures, want.RetryAfter = Closed, 0, 0
	want.Totals[Success] = 2
	want.TransitionCounts[Open][HalfOpen], want.TransitionCounts[HalfOpen][Closed] = 1, 1
	if got := cb.Stats(); got != want {
		t.Fatalf("Stats() = %+v\nwant       %+v", got, want)
	}
}

// TestStatsForcedOpen: a circuit forced open has no end of cooldown, so
// Stats.RetryAfter is WithCooldown's cooldown, as its rejections say, even
// after a backoff lengthened the latest opening's cooldown.
func TestStatsForcedOpen(t *testing.T) {
	clk := newFakeClock()
	cb := New("forced", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(10*time.Second),
		WithBackoff(2, time.Hour, 0))
	Do(cb, func() (int, error) { return 0, errBoom }) // opens for 10s
	clk.Advance(10 * time.Second)
	Do(cb, func() (int, error) { return 0, errBoom }) // the probe fails: reopens for 20s
	cb.ForceOpen()
	clk.Advance(time.Hour)
	s := cb.Stats()
	if s.State != Open || s.RetryAfter != 10*time.Second || s.Cooldown != 20*time.Second {
		t.Fatalf("forced open: %v, RetryAfter %v, Cooldown %v; want open, 10s, 20s", s.State, s.RetryAfter, s.Cooldown)
	}
	_, err := cb.Allow()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.RetryAfter() != s.RetryAfter {
		t.Fatalf("rejection %v, want RetryAfter %v as in Stats", err, s.RetryAfter)
	}
}

func TestLoggerLogsTransitionsOnly(t *testing.T) {
	clk := newFakeClock()
	var buf bytes.Buffer
	logger := textLogger(&buf)
	cb := New("agent-7", withClock(clk.Now), WithFailureThreshold(2), WithLogger(logger))
	for range 3 {
		Do(cb, func() (int, error) { return 1, nil })
	}
	for range 3 {
		Do(cb, func() (int, error) { return 0, errBoom })
	}
	clk.Advance(defaultCooldown)
	Do(cb, func() (int, error) { return 1, nil })
	want := []string{
		`level=WARN msg="circuit breaker state change" breaker=agent-7 from=closed to=open`,
		`level=INFO msg="circuit breaker state change" breaker=agent-7 from=open to=half-open`,
		`level=INFO msg="circuit breaker state change" breaker=agent-7 from=half-open to=closed`,
	}
	if got := strings.TrimSpace(buf.String()); got != strings.Join(want, "\n") {
		t.Fatalf("logged\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

func TestSet(t *testing.T) {
	set := NewSet("agents", WithBreakerOptions(WithFailureThreshold(1)))
	a := set.Get("b-agent")
	if a.Name() != "agents/b-agent" || set.Get("b-agent") != a {
		t.Fatalf("Get: name %q, same %v", a.Name(), set.Get("b-agent") == a)
	}
	Do(set.Get("a-agent"), func() (int, error) { return 0, errBoom })
	if set.Get("a-agent").Stats().State != Open || a.Stats().State != Closed {
		t.Fatal("breakers of a Set are not independent")
	}
	var names []string
	for _, b := range set.All() {
		names = append(names, b.Name()+"="+b.Stats().State.String())
	}
	slices.Sort(names)
	if got := strings.Join(names, ","); got != "agents/a-agent=open,agents/b-agent=closed" {
		t.Fatalf("All() = %s", got)
	}
	if !set.Remove("a-agent") || set.Remove("a-agent") {
		t.Fatal("Remove reported the wrong presence")
	}
	if got := strings.Join(set.keys(), ","); got != "b-agent" {
		t.Fatalf("keys after Remove: %s", got)
	}
	if NewSet("").Get("k").Name() != "k" {
		t.Fatal("empty prefix: name should be the key")
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		opts []Option
		want Config
	}{
		{nil, Config{FailureThreshold: defaultFailureThreshold}},
		{[]Option{WithFailureThreshold(2), WithCooldown(time.Second), WithShadow()},
			Config{FailureThreshold: 2, Shadow: true}},
		{[]Option{WithFailureRate(0.5, LastN(10), 5), WithSlowCalls(time.Second, 0.25)},
			Config{FailureRate: 0.5, SlowRate: 0.25}},
	}
	for _, tt := range tests {
		if got := New("c", tt.opts...).Config(); got != tt.want {
			t.Errorf("Config() = %+v, want %+v", got, tt.want)
		}
	}
}
