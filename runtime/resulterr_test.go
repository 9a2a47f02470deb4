package runtime

import (
	"errors"
	"testing"
)

type cmd struct{ err error }

func (c *cmd) Err() error       { return c.err }
func (c *cmd) SetErr(err error) { c.err = err }

// safeCmd's Err works on a nil pointer.
type safeCmd struct{ err error }

func (c *safeCmd) Err() error {
	if c == nil {
		return errBoom
	}
	return c.err
}

func TestResultErr(t *testing.T) {
	if err := ResultErr(&cmd{}); err != nil {
		t.Errorf("ResultErr of a result without error = %v", err)
	}
	if err := ResultErr(&cmd{err: errBoom}); err != errBoom {
		t.Errorf("ResultErr of a failed result = %v, want %v", err, errBoom)
	}
	var nilCmd *cmd
	if err := ResultErr(nilCmd); err == nil || err != errNilResult {
		t.Errorf("ResultErr of a nil result whose Err panics = %v, want %v", err, errNilResult)
	}
	var nilSafe *safeCmd
	if err := ResultErr(nilSafe); !errors.Is(err, errBoom) {
		t.Errorf("ResultErr of a nil result = %v, want what its Err says, %v", err, errBoom)
	}
	// A nil result counts as a failure.
	cb := New("r", WithFailureThreshold(1))
	p, _ := cb.Allow()
	p.Done(ResultErr(nilCmd))
	if cb.Stats().State != Open {
		t.Errorf("after a nil result: %v, want open", cb.Stats().State)
	}
}

func TestRejected(t *testing.T) {
	cb := New("r", WithFailureThreshold(1))
	cb.ForceOpen()
	_, err := cb.Allow()
	r := Rejected[cmd](err)
	if r == nil || !errors.Is(r.Err(), ErrOpen) {
		t.Fatalf("Rejected(%v).Err() = %v, want the rejection", err, r.Err())
	}
	var cbe *CircuitBreakerError
	if !errors.As(ResultErr(r), &cbe) || cbe.state != Open {
		t.Errorf("ResultErr(Rejected) = %v, want a *CircuitBreakerError of the open state", ResultErr(r))
	}
	if Rejected[cmd](err) == r {
		t.Error("Rejected returned the same result twice: each rejection needs its own")
	}
}
