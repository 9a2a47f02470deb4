package runtime

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// TestStatsCreatedForcedProbes checks Stats.Created (the breaker's clock at
// New), Stats.Forced (only while ForceOpen holds) and Stats.ProbesInFlight
// (probes let through and not yet reported).
func TestStatsCreatedForcedProbes(t *testing.T) {
	clk := newFakeClock()
	clk.Advance(7 * time.Second)
	cb := New("b", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second), WithHalfOpenProbes(2, 2))
	clk.Advance(time.Minute)
	if got, want := cb.Stats().Created, clk.start.Add(7*time.Second); !got.Equal(want) {
		t.Errorf("Created = %v, want %v (the clock at New)", got, want)
	}
	if s := cb.Stats(); s.Forced || s.ProbesInFlight != 0 {
		t.Errorf("closed: Forced %v, ProbesInFlight %d; want false, 0", s.Forced, s.ProbesInFlight)
	}
	cb.ForceOpen()
	if s := cb.Stats(); !s.Forced || s.State != Open {
		t.Errorf("after ForceOpen: Forced %v, State %v; want true, open", s.Forced, s.State)
	}
	cb.Reset()
	if s := cb.Stats(); s.Forced {
		t.Errorf("after Reset: Forced %v, want false", s.Forced)
	}

	p, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p.Done(errors.New("boom"))
	clk.Advance(2 * time.Second)
	p1, err1 := cb.Allow()
	if got := cb.Stats().ProbesInFlight; err1 != nil || got != 1 {
		t.Errorf("one probe: %v, ProbesInFlight = %d; want 1", err1, got)
	}
	p2, err2 := cb.Allow()
	if got := cb.Stats().ProbesInFlight; err2 != nil || got != 2 {
		t.Errorf("two probes: %v, ProbesInFlight = %d; want 2", err2, got)
	}
	p1.Done(nil)
	if s := cb.Stats(); s.ProbesInFlight != 1 || s.State != HalfOpen {
		t.Errorf("one probe reported: ProbesInFlight %d, State %v; want 1, half-open", s.ProbesInFlight, s.State)
	}
	p2.Done(nil)
	if s := cb.Stats(); s.ProbesInFlight != 0 || s.State != Closed {
		t.Errorf("both probes reported: ProbesInFlight %d, State %v; want 0, closed", s.ProbesInFlight, s.State)
	}
}

// TestStatsForcedRace reads Stats while another goroutine forces the
// circuit open and resets it: Forced is read under the breaker's lock, and
// is never set while State says anything but open.
func TestStatsForcedRace(t *testing.T) {
	cb := New("race")
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 1000 {
			cb.ForceOpen()
			cb.Reset()
		}
	})
	for range 1000 {
		if s := cb.Stats(); s.Forced && s.State != Open {
			t.Fatalf("Forced with State %v", s.State)
		}
	}
	wg.Wait()
}

// A Set's breakers share the Set's configuration and the start of its
// clock, but each says when it was made: a key that comes an hour after
// the Set was made, as a key born failing does, is not dated back to it.
func TestStatsCreatedOfALateSetKey(t *testing.T) {
	clk := newFakeClock()
	set := NewSet("agents", WithBreakerOptions(withClock(clk.Now)))
	early := set.Get("alpha")
	clk.Advance(time.Hour)
	late := set.Get("bravo")
	if got := early.Stats().Created; !got.Equal(clk.start) {
		t.Errorf("the first key's Created = %v, want %v", got, clk.start)
	}
	if got, want := late.Stats().Created, clk.start.Add(time.Hour); !got.Equal(want) {
		t.Errorf("a key made an hour later: Created = %v, want %v", got, want)
	}
}
