package generator

// behaveTest drives the generated wrapper of the behave shape: it passes
// calls, opens after the threshold, rejects without calling, probes after
// the cooldown, ignores failures of canceled calls, counts a panic as a
// failure, and allocates nothing on the closed path.
const behaveTest = `package PKG

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
)

type fake struct {
	err   error
	calls int
	panic bool
}

func (f *fake) Dispatch(ctx context.Context, task string) (string, error) {
	f.calls++
	if f.panic {
		panic("boom")
	}
	if f.err != nil {
		return "", f.err
	}
	return "done " + task, nil
}

func (f *fake) Status() (string, error) { f.calls++; return "ok", f.err }
func (f *fake) Name() string            { return "fake" }

func TestBehaviour(t *testing.T) {
	now := time.Unix(0, 0)
	opts := []runtime.Option{runtime.WithFailureThreshold(2), runtime.WithCooldown(time.Second), breakertest.WithClock(func() time.Time { return now })}
	f := &fake{}
	w := wrap(f, opts)
	ctx := context.Background()
	if got, err := w.Dispatch(ctx, "a"); got != "done a" || err != nil {
		t.Fatalf("Dispatch = %q, %v", got, err)
	}
	// A canceled caller's failure is not the dependency's.
	f.err = errors.New("down")
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := w.Dispatch(canceled, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled Dispatch: %v", err)
	}
	for range 2 {
		w.Dispatch(ctx, "a")
	}
	calls := f.calls
	_, err := w.Dispatch(ctx, "a")
	var cbe *runtime.CircuitBreakerError
	if !errors.As(err, &cbe) || !errors.Is(err, runtime.ErrOpen) || cbe.RetryAfter() <= 0 {
		t.Fatalf("open Dispatch: %v", err)
	}
	if f.calls != calls {
		t.Fatal("the wrapped Dispatch was called while open")
	}
	if w.Name() != "fake" {
		t.Fatal("Name not passed through")
	}
	now = now.Add(time.Second)
	f.err = nil
	if _, err := w.Dispatch(ctx, "probe"); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if _, err := w.Dispatch(ctx, "b"); err != nil {
		t.Fatalf("after probe: %v", err)
	}
	// A panic propagates and counts as a failure.
	f.panic = true
	for range 2 {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v", r)
				}
			}()
			w.Dispatch(ctx, "p")
		}()
	}
	f.panic = false
	if _, err := w.Dispatch(ctx, "a"); !errors.Is(err, runtime.ErrOpen) {
		t.Fatalf("after two panics: %v", err)
	}
}

func TestNoAllocs(t *testing.T) {
	w := wrap(&fake{}, nil)
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { w.Status() }); n != 0 {
		t.Errorf("Status allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { w.Dispatch(ctx, "") }); n > 1 {
		t.Errorf("Dispatch allocates %v times per call, more than the fake", n)
	}
}
`
