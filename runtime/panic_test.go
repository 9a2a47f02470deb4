package runtime

import (
	"errors"
	goruntime "runtime"
	"strings"
	"testing"
)

type panicValue struct{ msg string }

// explode panics from a named frame, so the test can look for it in the
// stack trace seen by the recovering caller.
func explode() (int, error) { panic(&panicValue{"kaboom"}) }

func TestPanicCountsAsFailureAndPropagates(t *testing.T) {
	clk := newFakeClock()
	cb := New("panic", withClock(clk.Now), WithFailureThreshold(1))
	var stack string
	got := func() (v any) {
		defer func() {
			v = recover()
			buf := make([]byte, 64<<10)
			stack = string(buf[:goruntime.Stack(buf, false)])
		}()
		_, _ = Do(cb, explode)
		return nil
	}()
	if pv, ok := got.(*panicValue); !ok || pv.msg != "kaboom" {
		t.Fatalf("recovered %#v, want the original panic value", got)
	}
	// The deferred recover runs on top of the panicking frames: explode is
	// still on the stack, so the panic was not recovered and re-raised.
	if !strings.Contains(stack, "runtime.explode") {
		t.Fatalf("original stack lost:\n%s", stack)
	}
	if cb.Stats().State != Open {
		t.Fatalf("state after a panic = %v, want open", cb.Stats().State)
	}
}

func TestPanicFreesProbe(t *testing.T) {
	cb, clk := halfOpen("panic")
	func() {
		defer func() { _ = recover() }()
		_, _ = Do(cb, explode)
	}()
	// The probe panicked: the circuit reopened, so no slot is held forever.
	if cb.Stats().State != Open {
		t.Fatalf("state after a panicking probe = %v, want open", cb.Stats().State)
	}
	clk.Advance(defaultCooldown)
	if _, err := Do(cb, func() (int, error) { return 1, nil }); err != nil {
		t.Fatalf("next probe rejected: %v", err)
	}
	if cb.Stats().State != Closed {
		t.Fatalf("state = %v, want closed", cb.Stats().State)
	}
}

func TestGoexitCountsAsFailure(t *testing.T) {
	cb, _ := halfOpen("goexit")

	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = Do(cb, func() (int, error) {
			goruntime.Goexit()
			return 0, nil
		})
	}()
	<-done
	if cb.Stats().State != Open {
		t.Fatalf("state after Goexit in a probe = %v, want open", cb.Stats().State)
	}
	if s := cb.Stats(); s.Totals[Failure] != 2 {
		t.Fatalf("total failures = %d, want 2", s.Totals[Failure])
	}
}

func TestHookReentry(t *testing.T) {
	clk := newFakeClock()
	var cb *Breaker
	var seen []string
	cb = New("hook", withClock(clk.Now), WithFailureThreshold(1),
		WithOnTransition(func(t Transition) {
			name, from, to := t.Name, t.From, t.To
			s := cb.Stats() // must not deadlock
			seen = append(seen, name+":"+from.String()+"->"+to.String()+"="+s.State.String())
			if to == HalfOpen {
				cb.Reset() // may even change the state
			}
		}))
	_, err := Do(cb, func() (int, error) { return 0, errBoom })
	if !errors.Is(err, errBoom) {
		t.Fatal(err)
	}
	clk.Advance(defaultCooldown)
	_, _ = Do(cb, func() (int, error) { return 1, nil })
	want := []string{
		"hook:closed->open=open",
		"hook:open->half-open=half-open",
		"hook:half-open->closed=closed",
	}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("hook saw %q, want %q", seen, want)
	}
	if cb.Stats().State != Closed {
		t.Fatalf("state = %v", cb.Stats().State)
	}
}
