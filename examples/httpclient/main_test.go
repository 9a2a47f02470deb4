package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// sleeper returns a Sleep for the fetcher that moves clock instead of
// waiting: time moves only when the fetcher waits.
func sleeper(clock *breakertest.Clock) func(ctx context.Context, d time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		clock.Advance(d)
		return nil
	}
}

func TestScenario(t *testing.T) {
	srv := newServer(3)
	defer srv.Close()
	clock := breakertest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var (
		mu          sync.Mutex
		transitions = map[string][]string{}
	)
	onChange := func(t runtime.Transition) {
		mu.Lock()
		defer mu.Unlock()
		transitions[t.Name] = append(transitions[t.Name], t.From.String()+"→"+t.To.String())
	}

	set, err := run(t.Context(), scenario{
		URL:      srv.URL,
		Client:   srv.Client(),
		Cooldown: 30 * time.Second,
		Reports:  3,
		Logger:   slog.New(slog.NewTextHandler(t.Output(), nil)),
		Sleep:    sleeper(clock),
		Options:  []runtime.Option{clock.Option(), runtime.WithOnTransition(onChange)},
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}

	want := []string{"closed→open", "open→half-open", "half-open→closed"}
	if got := transitions["http/Get"]; !slices.Equal(got, want) {
		t.Errorf("http/Get transitions = %q, want %q", got, want)
	}
	if got := transitions["http/Do"]; len(got) != 0 {
		t.Errorf("http/Do transitions = %q, want none: Get's failures must not open Do's breaker", got)
	}

	get := set.Get("Get").Stats()
	if get.TotalRejected == 0 {
		t.Error("http/Get rejected no call")
	}
	// Rejected calls never reach the server: it saw the three failures and
	// the three reports, nothing more.
	if got := srv.reports.Load(); got != 6 || get.Totals[runtime.Failure]+get.Totals[runtime.Success] != 6 {
		t.Errorf("server got %d report requests, breaker counted %d failures and %d successes; want 6 = 3 + 3",
			got, get.Totals[runtime.Failure], get.Totals[runtime.Success])
	}
	// While Get's circuit was open, Do still reached the server.
	if got := srv.health.Load(); got == 0 {
		t.Error("no health check reached the server while Get's circuit was open")
	}
	for _, b := range set.All() {
		if s := b.Stats().State; s != runtime.Closed {
			t.Errorf("%s ends %s, want closed", b.Name(), s)
		}
	}
}

// TestOpenCircuitSendsNothing drives the wrapper directly: once the server
// is failing and Get's circuit is open, Get returns a
// *runtime.CircuitBreakerError and the server sees no request.
func TestOpenCircuitSendsNothing(t *testing.T) {
	srv := newServer(1 << 30) // never recovers
	defer srv.Close()
	set := runtime.NewSet("http", runtime.WithBreakerOptions(runtime.WithFailureThreshold(2)))
	client := NewDoerBreaker(Checked{Client: srv.Client()}, set)

	for range 2 {
		var se *StatusError
		if _, err := client.Get(srv.URL + "/report"); !errors.As(err, &se) || se.StatusCode != 503 {
			t.Fatalf("Get = %v, want a 503 StatusError", err)
		}
	}
	_, err := client.Get(srv.URL + "/report")
	var open *runtime.CircuitBreakerError
	if !errors.As(err, &open) || !errors.Is(err, runtime.ErrOpen) {
		t.Fatalf("Get on an open circuit = %v, want *runtime.CircuitBreakerError", err)
	}
	if !strings.HasPrefix(err.Error(), `circuit breaker "http/Get" is open;`) || open.RetryAfter() <= 0 {
		t.Errorf("rejection = %q, want breaker http/Get, state open, RetryAfter > 0", err)
	}
	if n := srv.reports.Load(); n != 2 {
		t.Errorf("server got %d report requests, want 2", n)
	}
	if client.Breakers() != set {
		t.Error("Breakers() does not return the set passed to NewDoerBreaker")
	}
	if body, err := health(t.Context(), client, srv.URL+"/health"); err != nil || body != "ok" {
		t.Errorf("health via Do = %q, %v; want ok: Do has its own breaker", body, err)
	}
}
