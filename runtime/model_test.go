package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// model is a sequential reference of the state machine, written as plainly
// as possible, against which the Breaker is checked step by step.
type model struct {
	threshold, probes int
	cooldown          time.Duration

	now               time.Duration
	state             State
	gen               int
	consec            int
	openedAt          time.Duration
	forced            bool
	admitted, probeOK int
}

func (m *model) set(s State) {
	m.state, m.gen = s, m.gen+1
	m.admitted, m.probeOK = 0, 0
	switch s {
	case Closed:
		m.consec, m.forced = 0, false
	case Open:
		m.openedAt = m.now
	}
}

func (m *model) expired() bool {
	return m.state == Open && !m.forced && m.now >= m.openedAt+m.cooldown
}

func (m *model) effective() State {
	if m.expired() {
		return HalfOpen
	}
	return m.state
}

// allow returns the permit's generation, or the rejection.
func (m *model) allow() (gen int, rejected State, retry time.Duration) {
	if m.expired() {
		m.set(HalfOpen)
	}
	switch m.state {
	case Open:
		if m.forced {
			return 0, Open, m.cooldown
		}
		return 0, Open, m.openedAt + m.cooldown - m.now
	case HalfOpen:
		if m.admitted == m.probes {
			return 0, HalfOpen, m.cooldown
		}
		m.admitted++
	}
	return m.gen, 0, 0
}

func (m *model) done(gen int, o Outcome) {
	if gen != m.gen {
		return
	}
	switch m.state {
	case Closed:
		switch o {
		case Success:
			m.consec = 0
		case Failure:
			if m.consec++; m.consec >= m.threshold {
				m.set(Open)
			}
		}
	case HalfOpen:
		switch o {
		case Success:
			if m.probeOK++; m.probeOK == m.probes {
				m.set(Closed)
			}
		case Failure:
			m.consec++
			m.set(Open)
		case Ignore:
			m.admitted--
		}
	}
}

// checkAgainstModel drives a Breaker and the model with the operations
// encoded in ops and fails at the first difference.
func checkAgainstModel(t *testing.T, threshold, probes uint8, ops []byte) {
	m := &model{threshold: int(threshold%4) + 1, probes: int(probes%3) + 1, cooldown: 10 * time.Second}
	clk := newFakeClock()
	cb := New("model", WithClock(clk.Now),
		WithFailureThreshold(m.threshold), WithHalfOpenProbes(m.probes), WithCooldown(m.cooldown))
	type held struct {
		p   Permit
		gen int
	}
	var permits []held
	errs := map[Outcome]error{Success: nil, Failure: errBoom, Ignore: errCanceled}
	for i, op := range ops {
		arg := int(op >> 3)
		switch op & 7 {
		case 0, 1: // allow
			p, err := cb.Allow()
			gen, rejected, retry := m.allow()
			if retry == 0 {
				if err != nil {
					t.Fatalf("op %d: allow: %v, model admits", i, err)
				}
				permits = append(permits, held{p, gen})
				break
			}
			var cbe *CircuitBreakerError
			if !errors.As(err, &cbe) || cbe.State != rejected || cbe.RetryAfter != retry {
				t.Fatalf("op %d: allow: %v, model rejects as %v with retry %v", i, err, rejected, retry)
			}
		case 2, 3, 4: // report a held permit's result
			if len(permits) == 0 {
				break
			}
			k := arg % len(permits)
			o := Outcome(op&7 - 2)
			permits[k].p.Done(errs[o])
			m.done(permits[k].gen, o)
			permits = append(permits[:k], permits[k+1:]...)
		case 5: // time passes
			d := time.Duration(arg%12) * time.Second
			clk.Advance(d)
			m.now += d
		case 6:
			if arg%2 == 0 {
				cb.Reset()
				m.set(Closed)
			} else {
				cb.ForceOpen()
				m.forced = true
				m.set(Open)
			}
		case 7: // release without Done: a panic
			if len(permits) == 0 {
				break
			}
			k := arg % len(permits)
			permits[k].p.Release()
			m.done(permits[k].gen, Failure)
			permits = append(permits[:k], permits[k+1:]...)
		}
		s := cb.Stats()
		if s.State != m.effective() || cb.State() != m.effective() || s.ConsecutiveFailures != m.consec {
			t.Fatalf("op %d (%#x): breaker %v with %d failures, model %v with %d",
				i, op, s.State, s.ConsecutiveFailures, m.effective(), m.consec)
		}
	}
}

var errCanceled = fmt.Errorf("caller left: %w", context.Canceled)

func FuzzModel(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte{})
	f.Add(uint8(4), uint8(0), []byte{0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 0, 0x55, 0, 2, 0, 0})
	f.Add(uint8(1), uint8(2), []byte{0, 0, 3, 3, 0x55, 0, 0, 0, 0, 4, 0, 2, 2, 2, 0, 6, 0, 14, 0x55, 0})
	f.Add(uint8(0), uint8(1), []byte{0, 0, 7, 7, 0x5d, 0, 0, 0, 7, 3, 0x5d, 0, 0, 2, 2})
	f.Fuzz(checkAgainstModel)
}

func TestModelRandom(t *testing.T) {
	trials := 2000
	if testing.Short() {
		trials = 200
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range trials {
		ops := make([]byte, 200)
		for i := range ops {
			ops[i] = byte(rng.IntN(256))
		}
		checkAgainstModel(t, uint8(rng.IntN(4)), uint8(rng.IntN(3)), ops)
	}
}
