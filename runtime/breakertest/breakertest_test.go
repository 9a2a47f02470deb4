package breakertest_test

import (
	"fmt"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/runtime"
)

// recorder is a testing.TB whose Fatalf records the failure and ends the
// goroutine, so tests can check that a helper fails, and how.
type recorder struct {
	testing.TB
	failure string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failure = fmt.Sprintf(format, args...)
	goruntime.Goexit()
}

// failure runs f with a recorder in a goroutine of its own and returns the
// message f failed with, or "" if it passed.
func failure(t *testing.T, f func(tb testing.TB)) string {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.failure
}

// wantFailure checks that f fails with a message containing want.
func wantFailure(t *testing.T, want string, f func(tb testing.TB)) {
	t.Helper()
	got := failure(t, f)
	if got == "" {
		t.Fatalf("passed, want a failure containing %q", want)
	}
	if !strings.Contains(got, want) {
		t.Fatalf("failed with %q, want it to contain %q", got, want)
	}
}

// wantPass checks that f does not fail.
func wantPass(t *testing.T, f func(tb testing.TB)) {
	t.Helper()
	if got := failure(t, f); got != "" {
		t.Fatalf("failed with %q, want it to pass", got)
	}
}

// guard calls fn through cb as a generated wrapper does.
func guard(cb *runtime.Breaker, fn func() error) error {
	p, err := cb.Allow()
	if err != nil {
		return err
	}
	defer p.Release()
	err = fn()
	p.Done(err)
	return err
}
