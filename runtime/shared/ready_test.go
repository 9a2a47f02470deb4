package shared

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

// A replica that starts after the others opened is open once Ready
// returns; while the Store does not answer, Ready ends at its deadline
// and says how many breakers wait.
func TestReady(t *testing.T) {
	rs := newReplicas(t, 1)
	if err := fail(rs.cbs[0]); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the opening in the store", func() bool {
		rs.srv.mu.Lock()
		defer rs.srv.mu.Unlock()
		return rs.srv.recs["agent"].rec.State == runtime.Open
	})

	st := rs.srv.client("late")
	t.Cleanup(st.Close)
	rs.srv.mu.Lock() // the store stalls
	late := runtime.New("agent", WithStore(st), breakertest.WithClock(rs.clk.Now))
	other := runtime.New("other", WithStore(st), breakertest.WithClock(rs.clk.Now))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	err := Ready(ctx, st)
	cancel()
	stalled := late.Stats().State
	rs.srv.mu.Unlock()
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "2 of 2 breakers have not read") {
		t.Fatalf("Ready while the store stalls = %v, want the deadline and the 2 breakers waiting", err)
	}
	if stalled != runtime.Closed {
		t.Fatalf("the late breaker is %v before it read the record", stalled)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := Ready(ctx, st); err != nil {
		t.Fatalf("Ready = %v", err)
	}
	if s := late.Stats().State; s != runtime.Open {
		t.Errorf("after Ready the late breaker is %v, want the others' opening", s)
	}
	if s := other.Stats().State; s != runtime.Closed {
		t.Errorf("a breaker of another name is %v", s)
	}
	if err := Ready(ctx, rs.srv.client("unused")); err != nil {
		t.Errorf("Ready of a store no breaker uses = %v", err)
	}
}

// A breaker that opened while the Store did not answer has read the
// shared record once it has sent its opening, when the Store answers
// again: Ready returns then too.
func TestReadyAfterSendingWhatTheStoreMissed(t *testing.T) {
	srv := newMemServer(time.Now)
	srv.setDown(errors.New("connection refused"))
	st := srv.client("solo")
	t.Cleanup(st.Close)
	cb := runtime.New("agent", WithStore(st), runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute))
	eventually(t, "degraded", func() bool { return !cb.Stats().DegradedSince.IsZero() })
	if err := fail(cb); err != nil {
		t.Fatal(err)
	}
	srv.setDown(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := Ready(ctx, st); err != nil {
		t.Fatalf("Ready = %v", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if s := srv.recs["agent"].rec.State; s != runtime.Open {
		t.Errorf("the store's record is %v after Ready, want the opening the breaker sent", s)
	}
}
