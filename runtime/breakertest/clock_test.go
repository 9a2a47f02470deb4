package breakertest_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

func TestClock(t *testing.T) {
	var zero breakertest.Clock
	if got := zero.Now(); !got.IsZero() {
		t.Fatalf("zero Clock reads %v, want the zero time", got)
	}

	start := time.Date(2026, time.January, 2, 3, 4, 5, 0, time.UTC)
	clk := breakertest.NewClock(start)
	if got := clk.Now(); !got.Equal(start) {
		t.Fatalf("NewClock(%v).Now() = %v", start, got)
	}
	if got, want := clk.Advance(90*time.Second), start.Add(90*time.Second); !got.Equal(want) || !clk.Now().Equal(want) {
		t.Fatalf("Advance(90s) = %v, then Now() = %v; want %v", got, clk.Now(), want)
	}
	if got, want := clk.Advance(-time.Minute), start.Add(30*time.Second); !got.Equal(want) {
		t.Fatalf("Advance(-1m) = %v, want %v", got, want)
	}
	clk.Set(start)
	if got := clk.Now(); !got.Equal(start) {
		t.Fatalf("after Set(%v) Now() = %v", start, got)
	}
}

// TestClockOption checks that a breaker built with Option reads the clock:
// its cooldown ends when the clock says so, and not before.
func TestClockOption(t *testing.T) {
	clk := new(breakertest.Clock)
	cb := runtime.New("dep", clk.Option(), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))
	p, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p.Done(breakertest.ErrDown)
	if st := cb.Stats(); st.State != runtime.Open || st.RetryAfter != time.Minute {
		t.Fatalf("after one failure: %v with RetryAfter %v, want open for 1m", st.State, st.RetryAfter)
	}
	clk.Advance(time.Minute - time.Nanosecond)
	if s := cb.Stats().State; s != runtime.Open {
		t.Fatalf("1ns before the cooldown ends the breaker is %v, want open", s)
	}
	clk.Advance(time.Nanosecond)
	if s := cb.Stats().State; s != runtime.HalfOpen {
		t.Fatalf("when the cooldown ends the breaker is %v, want half-open", s)
	}
}

// TestClockConcurrent moves and reads one clock from many goroutines; run
// with -race.
func TestClockConcurrent(t *testing.T) {
	const goroutines, steps = 8, 1000
	clk := new(breakertest.Clock)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range steps {
				before := clk.Now()
				if after := clk.Advance(time.Millisecond); !after.After(before) {
					t.Errorf("Advance went from %v to %v", before, after)
					return
				}
			}
		})
	}
	wg.Wait()
	if got, want := clk.Now(), (time.Time{}).Add(goroutines*steps*time.Millisecond); !got.Equal(want) {
		t.Fatalf("after %d advances of 1ms the clock reads %v, want %v", goroutines*steps, got, want)
	}
}

// TestWithClockNil checks that WithClock(nil) panics at once, naming the
// call.
func TestWithClockNil(t *testing.T) {
	defer func() {
		if p, _ := recover().(string); !strings.Contains(p, "WithClock(nil)") {
			t.Fatalf("WithClock(nil): panic %q, want it to name the call", p)
		}
	}()
	breakertest.WithClock(nil)
}
