package runtime

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

// policyErr returns the error that reports outcome o: S success, F failure,
// I ignored (the caller's context was canceled).
func policyErr(o byte) error {
	switch o {
	case 'S':
		return nil
	case 'F':
		return errBoom
	case 'I':
		return errCanceled
	}
	panic(fmt.Sprintf("policyErr(%q)", o))
}

// policyCall makes one call reporting outcome o (see policyErr), or returns
// the rejection.
func policyCall(cb *Breaker, o byte) error {
	p, err := cb.Allow()
	if err != nil {
		return err
	}
	p.Done(policyErr(o))
	return nil
}

// policyRejected checks that err is a rejection in state with RetryAfter retry.
func policyRejected(t *testing.T, err error, state State, retry time.Duration) {
	t.Helper()
	var cbe *CircuitBreakerError
	if !errors.As(err, &cbe) || cbe.state != state || cbe.RetryAfter() != retry {
		t.Fatalf("err = %v, want a rejection (state %v) with RetryAfter %v", err, state, retry)
	}
}

// policyExpectRejection calls Allow and checks it is rejected.
func policyExpectRejection(t *testing.T, cb *Breaker, state State, retry time.Duration) {
	t.Helper()
	p, err := cb.Allow()
	if err == nil {
		p.Done(nil)
		t.Fatalf("call admitted, want a rejection (state %v) with RetryAfter %v", state, retry)
	}
	policyRejected(t, err, state, retry)
}

// policyHook records the state changes a breaker reports.
type policyHook struct {
	mu      sync.Mutex
	changes [][2]State
}

func (h *policyHook) option() Option {
	return WithOnTransition(func(t Transition) {
		h.mu.Lock()
		h.changes = append(h.changes, [2]State{t.From, t.To})
		h.mu.Unlock()
	})
}

// String lists the changes as "closed->open open->half-open".
func (h *policyHook) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var s []string
	for _, c := range h.changes {
		s = append(s, c[0].String()+"->"+c[1].String())
	}
	return strings.Join(s, " ")
}

// count returns how many changes went from from to to.
func (h *policyHook) count(from, to State) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.changes {
		if c == [2]State{from, to} {
			n++
		}
	}
	return n
}

// chained reports an error unless the changes form one chain starting
// closed: each begins in the state the one before ended in.
func (h *policyHook) chained(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	prev := Closed
	for i, c := range h.changes {
		if c[0] != prev || c[0] == c[1] {
			t.Errorf("change %d is %v->%v after a change to %v", i, c[0], c[1], prev)
		}
		prev = c[1]
	}
}

func policyCheckState(t *testing.T, cb *Breaker, want State) {
	t.Helper()
	if got := cb.Stats().State; got != want {
		t.Fatalf("State() = %v, want %v", got, want)
	}
}

// TestPolicyFailureRateRule checks that WithFailureRate replaces the
// consecutive rule unless WithFailureThreshold is given too, and then
// either rule opens the circuit.
func TestPolicyFailureRateRule(t *testing.T) {
	tests := []struct {
		name          string
		opts          []Option
		seq           string
		openAt        int
		threshold     int // Stats.FailureThreshold
		consecutive   int // Stats.ConsecutiveFailures at the end
		wantTotalFail int
	}{
		{"default: 5 in a row", nil, "FFFFF", 4, 5, 5, 5},
		{"rate alone: 10 in a row do not open", []Option{WithFailureRate(1, LastN(100), 100)}, strings.Repeat("F", 10), -1, 0, 10, 10},
		{"rate alone: the consecutive count is still kept", []Option{WithFailureRate(0.9, LastN(10), 10)}, "SFFFFFFF", -1, 0, 7, 7},
		{"rate alone: a success resets the count", []Option{WithFailureRate(0.9, LastN(10), 10)}, "FFFFSFF", -1, 0, 2, 6},
		{"both: 3 in a row open before minCalls", []Option{WithFailureThreshold(3), WithFailureRate(1, LastN(100), 100)}, "SFFF", 3, 3, 3, 3},
		{"both, other order", []Option{WithFailureRate(1, LastN(100), 100), WithFailureThreshold(3)}, "SFFF", 3, 3, 3, 3},
		{"both: the rate opens on a success", []Option{WithFailureThreshold(3), WithFailureRate(0.5, LastN(4), 4)}, "FSFS", 3, 3, 0, 2},
		{"both: the rate opens with 2 in a row", []Option{WithFailureThreshold(3), WithFailureRate(0.75, LastN(4), 4)}, "FSFF", 3, 3, 2, 3},
		{"both: neither rule met", []Option{WithFailureThreshold(3), WithFailureRate(0.75, LastN(4), 4)}, "FFSSSFFSSS", -1, 3, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("rule", append([]Option{withClock(clk.Now)}, tt.opts...)...)
			if got := windowRun(t, cb, tt.seq); got != tt.openAt {
				t.Fatalf("%s: opened after call %d, want %d (-1: never)", tt.seq, got, tt.openAt)
			}
			s := cb.Stats()
			if got := cb.Config().FailureThreshold; got != tt.threshold {
				t.Fatalf("FailureThreshold %d, want %d", got, tt.threshold)
			}
			if s.ConsecutiveFailures != tt.consecutive || s.Totals[Failure] != uint64(tt.wantTotalFail) {
				t.Fatalf("ConsecutiveFailures %d, Totals[Failure] %d; want %d, %d",
					s.ConsecutiveFailures, s.Totals[Failure], tt.consecutive, tt.wantTotalFail)
			}
		})
	}
}

// TestPolicySlowCallBoundary: a success is slow if it took strictly longer
// than the limit; a failure is never slow.
func TestPolicySlowCallBoundary(t *testing.T) {
	const limit = 100 * time.Millisecond
	tests := []struct {
		took time.Duration
		err  error
		slow bool
	}{
		{0, nil, false},
		{limit - 1, nil, false},
		{limit, nil, false},
		{limit + 1, nil, true},
		{time.Hour, nil, true},
		{time.Hour, errBoom, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v/%v", tt.took, tt.err), func(t *testing.T) {
			clk := newFakeClock()
			cb := New("slow", withClock(clk.Now), WithFailureRate(1, LastN(10), 10), WithSlowCalls(limit, 1))
			p, err := cb.Allow()
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(tt.took)
			p.Done(tt.err)
			s := cb.Stats()
			wantSlow, wantRate := uint64(0), 0.0
			if tt.slow {
				wantSlow, wantRate = 1, 1
			}
			if s.TotalSlow != wantSlow || s.SlowRate != wantRate || s.WindowCalls != 1 || s.State != Closed {
				t.Fatalf("took %v: TotalSlow %d, SlowRate %v, WindowCalls %d, state %v; want %d, %v, 1, closed",
					tt.took, s.TotalSlow, s.SlowRate, s.WindowCalls, s.State, wantSlow, wantRate)
			}
			if tt.err == nil && s.Totals[Success] != 1 || tt.err != nil && s.Totals[Failure] != 1 {
				t.Fatalf("totals: %+v", s)
			}
		})
	}
}

// policySlowRun is windowRun with slow calls: L is a success that takes
// limit+1ns, X a failure that does.
func policySlowRun(t *testing.T, cb *Breaker, clk *fakeClock, limit time.Duration, seq string) int {
	t.Helper()
	for i := range len(seq) {
		p, err := cb.Allow()
		if err != nil {
			t.Fatalf("call %d (%c) rejected: %v", i, seq[i], err)
		}
		switch c := seq[i]; c {
		case 'L':
			clk.Advance(limit + 1)
			p.Done(nil)
		case 'X':
			clk.Advance(limit + 1)
			p.Done(errBoom)
		default:
			p.Done(policyErr(c))
		}
		if cb.Stats().State == Open {
			return i
		}
	}
	return -1
}

// TestPolicySlowCallsOpen checks the slow rate rule and that slow successes
// are successes everywhere else.
func TestPolicySlowCallsOpen(t *testing.T) {
	const limit = 100 * time.Millisecond
	above := math.Nextafter(0.5, 1)
	tests := []struct {
		name        string
		opts        []Option
		seq         string
		openAt      int
		consecutive int
	}{
		// [S L S S] 1/4; [L S S L] 2/4.
		{"2 of 4 slow meet 0.5", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "SLSSL", 4, 0},
		{"7 of 25 slow meet 0.28", []Option{WithFailureRate(1, LastN(25), 25), WithSlowCalls(limit, 0.28)}, strings.Repeat("S", 18) + strings.Repeat("L", 7), 24, 0},
		{"2 of 4 slow miss the next float after 0.5", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, above)}, "SLSSL", -1, 0},
		{"slow below minCalls", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "LLL", -1, 0},
		{"a success reaching minCalls opens", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "LLLS", 3, 0},
		{"slow failures are failures, not slow", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, 0.25)}, "XXXS", -1, 0},
		{"ignored slow calls count in neither", []Option{WithFailureRate(1, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "LIIISSS", -1, 0},
		// A slow success resets the consecutive count: F L F is one in a row.
		{"a slow success is not a failure", []Option{WithFailureThreshold(2), WithFailureRate(1, LastN(10), 10), WithSlowCalls(limit, 1)}, "FLF", -1, 1},
		{"either rate opens", []Option{WithFailureRate(0.5, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "FSLS", -1, 0},
		{"either rate opens: failures", []Option{WithFailureRate(0.5, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "SLSFF", 4, 2},
		{"either rate opens: slow", []Option{WithFailureRate(0.5, LastN(4), 4), WithSlowCalls(limit, 0.5)}, "SFSLL", 4, 0},
		// Over keeps all: [S L S S L] is 2/5, where LastN(4) would open.
		{"Over window", []Option{WithFailureRate(1, Over(time.Minute, 6), 4), WithSlowCalls(limit, 0.5)}, "SLSSL", -1, 0},
		{"Over window opens", []Option{WithFailureRate(1, Over(time.Minute, 6), 4), WithSlowCalls(limit, 0.5)}, "SLSSLL", 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("slow", append([]Option{withClock(clk.Now)}, tt.opts...)...)
			if got := policySlowRun(t, cb, clk, limit, tt.seq); got != tt.openAt {
				t.Fatalf("%s: opened after call %d, want %d", tt.seq, got, tt.openAt)
			}
			s := cb.Stats()
			var slow, successes uint64
			for i := range len(tt.seq) {
				switch tt.seq[i] {
				case 'L':
					slow++
					successes++
				case 'S':
					successes++
				}
			}
			if s.TotalSlow != slow || s.Totals[Success] != successes || s.ConsecutiveFailures != tt.consecutive {
				t.Fatalf("TotalSlow %d, Totals[Success] %d, ConsecutiveFailures %d; want %d, %d, %d",
					s.TotalSlow, s.Totals[Success], s.ConsecutiveFailures, slow, successes, tt.consecutive)
			}
		})
	}
}

// TestPolicySlowProbe: a slow probe reopens the circuit like a failed one,
// but does not count as a failure.
func TestPolicySlowProbe(t *testing.T) {
	const limit = 100 * time.Millisecond
	clk := newFakeClock()
	hook := &policyHook{}
	cb := New("slow-probe", withClock(clk.Now), WithCooldown(time.Second),
		WithFailureRate(1, LastN(1), 1), WithSlowCalls(limit, 1), hook.option())
	if err := policyCall(cb, 'F'); err != nil {
		t.Fatal(err)
	}
	policyCheckState(t, cb, Open)

	clk.Advance(time.Second)
	p, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(limit + 1)
	p.Done(nil)
	policyCheckState(t, cb, Open)
	s := cb.Stats()
	if s.TotalSlow != 1 || s.Totals[Success] != 1 || s.Totals[Failure] != 1 || s.ConsecutiveFailures != 1 || s.RetryAfter != time.Second {
		t.Fatalf("after a slow probe: %+v; want 1 slow success, 1 failure, 1 consecutive, RetryAfter 1s", s)
	}

	// A probe that takes exactly the limit is not slow: it closes.
	clk.Advance(time.Second)
	p, err = cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(limit)
	p.Done(nil)
	policyCheckState(t, cb, Closed)
	if s := cb.Stats(); s.TotalSlow != 1 || s.WindowCalls != 0 {
		t.Fatalf("after a probe at the limit: %+v", s)
	}
	if got, want := hook.String(), "closed->open open->half-open half-open->open open->half-open half-open->closed"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}

	// With 2 probes, a slow one reopens even after a fast one succeeded.
	cb2 := New("slow-probes", withClock(clk.Now), WithCooldown(time.Second), WithHalfOpenProbes(2, 2),
		WithFailureRate(1, LastN(1), 1), WithSlowCalls(limit, 1))
	policyCall(cb2, 'F')
	clk.Advance(time.Second)
	p1, _ := cb2.Allow()
	p2, err := cb2.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p1.Done(nil)
	policyCheckState(t, cb2, HalfOpen)
	clk.Advance(limit + 1)
	p2.Done(nil)
	policyCheckState(t, cb2, Open)
}

// TestPolicyClockReads counts the clock reads of closed-state calls: two
// (Allow and Done) when calls are timed, one (Done) for an Over window,
// none otherwise.
func TestPolicyClockReads(t *testing.T) {
	const limit = time.Second
	lastN := WithFailureRate(0.9, LastN(10), 10)
	over := WithFailureRate(0.9, Over(time.Minute, 6), 10)
	slow := WithSlowCalls(limit, 1)
	tests := []struct {
		name  string
		opts  []Option
		seq   string
		reads int64
	}{
		{"default", nil, "SFSFSFSF", 0},
		{"LastN", []Option{lastN}, "SFSFSFSF", 0},
		{"LastN, opening", []Option{lastN}, strings.Repeat("F", 10), 1},
		{"Over", []Option{over}, "SFSFSFSF", 8},
		{"Over, opening", []Option{over}, strings.Repeat("F", 10), 10},
		{"Over, ignored", []Option{over}, "III", 0},
		{"LastN and slow calls", []Option{lastN, slow}, "SFSFSFSF", 16},
		{"LastN and slow calls, opening", []Option{lastN, slow}, strings.Repeat("F", 10), 20},
		{"LastN and slow calls, ignored", []Option{lastN, slow}, "III", 3},
		{"Over and slow calls", []Option{over, slow}, "SFSFSFSF", 16},
		{"recovery options only", []Option{WithBackoff(2, time.Hour, 0.5), WithHalfOpenMaxWait(time.Second), withSuccesses(3)}, "SFSFSFSF", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("reads", append([]Option{withClock(clk.Now)}, tt.opts...)...)
			before := clk.reads.Load()
			for i := range len(tt.seq) {
				p, err := cb.Allow()
				if err != nil {
					t.Fatalf("call %d rejected: %v", i, err)
				}
				p.Done(policyErr(tt.seq[i]))
			}
			if got := clk.reads.Load() - before; got != tt.reads {
				t.Fatalf("%d clock reads for %s, want %d", got, tt.seq, tt.reads)
			}
		})
	}
}

// TestPolicyBackoffSequence follows a circuit that keeps failing its
// probes, without jitter: each reopening multiplies the cooldown, up to max;
// closing goes back to the cooldown.
func TestPolicyBackoffSequence(t *testing.T) {
	tests := []struct {
		name string
		mult float64
		max  time.Duration
		want []time.Duration // the cooldowns of successive openings
	}{
		{"x2 up to 5s", 2, 5 * time.Second, []time.Duration{1e9, 2e9, 4e9, 5e9, 5e9}},
		{"x1.5 up to 4s", 1.5, 4 * time.Second, []time.Duration{1e9, 1.5e9, 2.25e9, 3.375e9, 4e9, 4e9}},
		{"x10 up to 1h", 10, time.Hour, []time.Duration{1e9, 10e9, 100e9, 1000e9, 3600e9, 3600e9}},
		{"x1", 1, time.Minute, []time.Duration{1e9, 1e9, 1e9}},
		{"max equal to the cooldown", 3, time.Second, []time.Duration{1e9, 1e9, 1e9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("backoff", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
				WithBackoff(tt.mult, tt.max, 0),
				withRandom(func() float64 { t.Error("jitter source read with jitter 0"); return 0.5 }))
			if s := cb.Stats(); s.Cooldown != time.Second {
				t.Fatalf("new breaker: Cooldown %v, want 1s", s.Cooldown)
			}
			policyCall(cb, 'F')
			for k, want := range tt.want {
				s := cb.Stats()
				if s.State != Open || s.Cooldown != want || s.RetryAfter != want {
					t.Fatalf("opening %d: state %v, Cooldown %v, RetryAfter %v; want open, %v, %v", k, s.State, s.Cooldown, s.RetryAfter, want, want)
				}
				policyExpectRejection(t, cb, Open, want)
				clk.Advance(want - 1)
				policyExpectRejection(t, cb, Open, time.Millisecond) // 1ns, rounded up
				if s := cb.Stats(); s.RetryAfter != 1 {
					t.Fatalf("opening %d, 1ns before the end: RetryAfter %v", k, s.RetryAfter)
				}
				clk.Advance(1)
				policyCheckState(t, cb, HalfOpen)
				p, err := cb.Allow()
				if err != nil {
					t.Fatalf("opening %d: probe rejected: %v", k, err)
				}
				// Half-open rejections suggest the latest cooldown.
				policyExpectRejection(t, cb, HalfOpen, want)
				if k < len(tt.want)-1 {
					p.Done(errBoom)
					continue
				}
				p.Done(nil)
			}
			// Closing goes back to the cooldown, and the growth starts over.
			if s := cb.Stats(); s.State != Closed || s.Cooldown != time.Second {
				t.Fatalf("closed: state %v, Cooldown %v; want closed, 1s", s.State, s.Cooldown)
			}
			policyCall(cb, 'F')
			policyExpectRejection(t, cb, Open, time.Second)
			clk.Advance(time.Second)
			p, _ := cb.Allow()
			p.Done(errBoom)
			if s := cb.Stats(); s.Cooldown != tt.want[1] {
				t.Fatalf("first reopening after closing: Cooldown %v, want %v", s.Cooldown, tt.want[1])
			}
		})
	}
}

// policyJitter returns a jitter source that hands out us in order, and a
// function returning how many it handed out.
func policyJitter(t *testing.T, us ...float64) (func() float64, func() int) {
	var mu sync.Mutex
	i := 0
	return func() float64 {
			mu.Lock()
			defer mu.Unlock()
			if i == len(us) {
				t.Errorf("jitter source read more than %d times", len(us))
				return 0.5
			}
			i++
			return us[i-1]
		}, func() int {
			mu.Lock()
			defer mu.Unlock()
			return i
		}
}

// TestPolicyBackoffJitter checks the jittered cooldowns exactly, with
// values of the source whose products are exact in binary: cooldown 1s, x2
// up to 4s, jitter 0.5, so a draw u scales the cooldown by 1+0.5*(2u-1).
func TestPolicyBackoffJitter(t *testing.T) {
	src, draws := policyJitter(t, 0.25, 0.75, 0, 0.5, 0.875, 0.5, 0)
	clk := newFakeClock()
	cb := New("jitter", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
		WithBackoff(2, 4*time.Second, 0.5), withRandom(src))

	// Opening from closed: 1s * 0.75.
	policyCall(cb, 'F')
	if n := draws(); n != 1 {
		t.Fatalf("opening from closed drew %d values, want 1", n)
	}
	if s := cb.Stats(); s.Cooldown != 750*time.Millisecond || s.RetryAfter != 750*time.Millisecond {
		t.Fatalf("first opening: Cooldown %v, RetryAfter %v; want 750ms", s.Cooldown, s.RetryAfter)
	}
	policyExpectRejection(t, cb, Open, 750*time.Millisecond)
	clk.Advance(300 * time.Millisecond)
	policyExpectRejection(t, cb, Open, 450*time.Millisecond) // the real time left
	if s := cb.Stats(); s.RetryAfter != 450*time.Millisecond {
		t.Fatalf("RetryAfter %v, want 450ms", s.RetryAfter)
	}
	clk.Advance(450 * time.Millisecond)
	policyCheckState(t, cb, HalfOpen)
	if n := draws(); n != 1 {
		t.Fatalf("State drew a value: %d draws", n)
	}

	// Each reopening's cooldown is drawn when the circuit enters half-open.
	want := []time.Duration{
		2500 * time.Millisecond, // 2s * 1.25
		2 * time.Second,         // 4s * 0.5
		4 * time.Second,         // min(8s, 4s) * 1
		5500 * time.Millisecond, // 4s * 1.375: the jitter may pass max
	}
	latest := 750 * time.Millisecond
	for k, w := range want {
		p, err := cb.Allow()
		if err != nil {
			t.Fatalf("reopening %d: probe rejected: %v", k, err)
		}
		if n := draws(); n != k+2 {
			t.Fatalf("entering half-open %d: %d draws, want %d", k, n, k+2)
		}
		policyExpectRejection(t, cb, HalfOpen, latest)
		if s := cb.Stats(); s.Cooldown != latest {
			t.Fatalf("half-open %d: Cooldown %v, want the latest opening's %v", k, s.Cooldown, latest)
		}
		p.Done(errBoom)
		if s := cb.Stats(); s.State != Open || s.Cooldown != w || s.RetryAfter != w {
			t.Fatalf("reopening %d: state %v, Cooldown %v, RetryAfter %v; want open, %v", k, s.State, s.Cooldown, s.RetryAfter, w)
		}
		policyExpectRejection(t, cb, Open, w)
		clk.Advance(w - time.Millisecond)
		policyExpectRejection(t, cb, Open, time.Millisecond)
		clk.Advance(time.Millisecond)
		latest = w
	}
	p, err := cb.Allow() // draws 0.5, unused
	if err != nil {
		t.Fatal(err)
	}
	p.Done(nil)
	if s := cb.Stats(); s.State != Closed || s.Cooldown != time.Second {
		t.Fatalf("closed: state %v, Cooldown %v; want closed, 1s", s.State, s.Cooldown)
	}
	// Opening from closed again: k = 0, jittered: 1s * 0.5.
	policyCall(cb, 'F')
	if s := cb.Stats(); s.Cooldown != 500*time.Millisecond || s.RetryAfter != 500*time.Millisecond {
		t.Fatalf("opening after closing: Cooldown %v, RetryAfter %v; want 500ms", s.Cooldown, s.RetryAfter)
	}
	if n := draws(); n != 7 {
		t.Fatalf("%d draws in all, want 7", n)
	}
}

// TestPolicyBackoffForceOpenAndReset: ForceOpen suggests WithCooldown's
// cooldown whatever the backoff; Reset starts the backoff over.
func TestPolicyBackoffForceOpenAndReset(t *testing.T) {
	clk := newFakeClock()
	cb := New("force", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second), WithBackoff(2, time.Minute, 0))
	policyCall(cb, 'F')
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second} {
		clk.Advance(cb.Stats().RetryAfter)
		policyCall(cb, 'F')
		policyExpectRejection(t, cb, Open, want)
	}
	cb.ForceOpen()
	policyExpectRejection(t, cb, Open, time.Second)
	clk.Advance(time.Hour)
	policyExpectRejection(t, cb, Open, time.Second)
	policyCheckState(t, cb, Open)

	cb.Reset()
	if s := cb.Stats(); s.State != Closed || s.Cooldown != time.Second {
		t.Fatalf("after Reset: state %v, Cooldown %v; want closed, 1s", s.State, s.Cooldown)
	}
	policyCall(cb, 'F')
	policyExpectRejection(t, cb, Open, time.Second)
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		clk.Advance(cb.Stats().RetryAfter)
		policyCall(cb, 'F')
		policyExpectRejection(t, cb, Open, want)
	}
	// Reset from open, mid-backoff.
	cb.Reset()
	policyCall(cb, 'F')
	policyExpectRejection(t, cb, Open, time.Second)
	clk.Advance(time.Second)
	policyCall(cb, 'F')
	policyExpectRejection(t, cb, Open, 2*time.Second)
}

// TestPolicyBackoffSaturated: a backoff whose cooldown saturates (max
// "unbounded" as math.MaxInt64) is still an ordinary opening, not a forced
// one: rejections report the real time left, as Stats does.
func TestPolicyBackoffSaturated(t *testing.T) {
	clk := newFakeClock()
	cb := New("saturated", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
		WithBackoff(1e9, math.MaxInt64, 0))
	policyCall(cb, 'F') // 1s
	clk.Advance(time.Second)
	policyCall(cb, 'F') // 1s * 1e9
	policyExpectRejection(t, cb, Open, 1e18)
	clk.Advance(1e18)
	policyCall(cb, 'F') // 1s * 1e18: capped at math.MaxInt64, ending past the clock's range
	s := cb.Stats()
	if s.State != Open || s.Cooldown != math.MaxInt64 || s.RetryAfter < 8e18 {
		t.Fatalf("Stats: state %v, Cooldown %v, RetryAfter %v; want open, %v, more than 8e18ns",
			s.State, s.Cooldown, s.RetryAfter, time.Duration(math.MaxInt64))
	}
	want := s.RetryAfter
	if r := want % time.Millisecond; r != 0 {
		want += time.Millisecond - r
	}
	policyExpectRejection(t, cb, Open, want)
}

// TestPolicyNoBackoffNoJitter: without WithBackoff the cooldown never
// grows and the jitter source is never read.
func TestPolicyNoBackoffNoJitter(t *testing.T) {
	clk := newFakeClock()
	cb := New("plain", withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
		withRandom(func() float64 { t.Error("jitter source read without WithBackoff"); return 0.5 }))
	policyCall(cb, 'F')
	for range 5 {
		policyExpectRejection(t, cb, Open, time.Second)
		clk.Advance(time.Second)
		policyCall(cb, 'F')
	}
	if s := cb.Stats(); s.Cooldown != time.Second {
		t.Fatalf("Cooldown %v, want 1s", s.Cooldown)
	}
}

// policyMaxWait returns a breaker with a cooldown of 1s and a half-open
// max wait of 5s that opened at 0 and, at 1s, admitted a probe it returns:
// half-open began at 1s, so the probe is overdue at 6s.
func policyMaxWait(t *testing.T, opts ...Option) (*Breaker, *fakeClock, *policyHook, *Permit) {
	t.Helper()
	clk := newFakeClock()
	hook := &policyHook{}
	cb := New("wait", append([]Option{withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
		WithHalfOpenMaxWait(5 * time.Second), hook.option()}, opts...)...)
	policyCall(cb, 'F')
	clk.Set(time.Second)
	p, err := allowHeld(cb)
	if err != nil {
		t.Fatal(err)
	}
	return cb, clk, hook, p
}

// TestPolicyMaxWaitHungProbe: a hung probe reopens the circuit at
// admission+d; State reports it before any call, the next call applies it,
// and the probe's late result is dropped.
func TestPolicyMaxWaitHungProbe(t *testing.T) {
	cb, clk, hook, p := policyMaxWait(t)
	clk.Set(6*time.Second - 1)
	policyCheckState(t, cb, HalfOpen)
	policyExpectRejection(t, cb, HalfOpen, time.Second)

	clk.Set(6 * time.Second)
	policyCheckState(t, cb, Open)
	if s := cb.Stats(); s.State != Open || s.RetryAfter != time.Second {
		t.Fatalf("at 6s: Stats state %v, RetryAfter %v; want open, 1s", s.State, s.RetryAfter)
	}
	// State and Stats report the reopening without making it.
	if got, want := hook.String(), "closed->open open->half-open"; got != want {
		t.Fatalf("changes after State and Stats: %q, want %q", got, want)
	}

	clk.Set(6*time.Second + 500*time.Millisecond)
	if s := cb.Stats(); s.RetryAfter != 500*time.Millisecond {
		t.Fatalf("at 6.5s: RetryAfter %v, want 500ms", s.RetryAfter)
	}
	policyExpectRejection(t, cb, Open, 500*time.Millisecond)
	if got, want := hook.String(), "closed->open open->half-open half-open->open"; got != want {
		t.Fatalf("changes after a call: %q, want %q", got, want)
	}

	p.Done(nil) // the hung probe comes back: too late
	policyCheckState(t, cb, Open)
	policyExpectRejection(t, cb, Open, 500*time.Millisecond)

	clk.Set(7 * time.Second)
	policyCheckState(t, cb, HalfOpen)
	p2, err := cb.Allow()
	if err != nil {
		t.Fatalf("no probe admitted after the reopening's cooldown: %v", err)
	}
	clk.Set(12*time.Second - 1) // the new half-open began at 7s
	policyCheckState(t, cb, HalfOpen)
	p2.Done(nil)
	policyCheckState(t, cb, Closed)
	if got, want := hook.String(), "closed->open open->half-open half-open->open open->half-open half-open->closed"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}
}

// TestPolicyMaxWaitLateReport: with no call in between, the late probe's own
// report applies the reopening, dated at admission+d, and is dropped.
func TestPolicyMaxWaitLateReport(t *testing.T) {
	for _, how := range []string{"success", "failure", "ignore", "release"} {
		t.Run(how, func(t *testing.T) {
			cb, clk, hook, p := policyMaxWait(t)
			clk.Set(6*time.Second + 100*time.Millisecond)
			switch how {
			case "success":
				p.Done(nil)
			case "failure":
				p.Done(errBoom)
			case "ignore":
				p.Done(policyErr('I'))
			case "release":
				p.Release()
			}
			if got, want := hook.String(), "closed->open open->half-open half-open->open"; got != want {
				t.Fatalf("changes %q, want %q", got, want)
			}
			s := cb.Stats()
			if s.State != Open || s.RetryAfter != 900*time.Millisecond || s.ConsecutiveFailures != 1 {
				t.Fatalf("state %v, RetryAfter %v, ConsecutiveFailures %d; want open, 900ms (reopened at 6s), 1 (the result dropped)",
					s.State, s.RetryAfter, s.ConsecutiveFailures)
			}
			policyExpectRejection(t, cb, Open, 900*time.Millisecond)
		})
	}
}

// TestPolicyMaxWaitBoundary: a probe reporting 1ns before admission+d
// counts; at admission+d it is overdue.
func TestPolicyMaxWaitBoundary(t *testing.T) {
	cb, clk, _, p := policyMaxWait(t)
	clk.Set(6*time.Second - 1)
	p.Done(nil)
	policyCheckState(t, cb, Closed)

	cb, clk, _, p = policyMaxWait(t)
	clk.Set(6 * time.Second)
	p.Done(nil)
	policyCheckState(t, cb, Open)
	if s := cb.Stats(); s.RetryAfter != time.Second {
		t.Fatalf("RetryAfter %v, want 1s", s.RetryAfter)
	}
}

// TestPolicyMaxWaitCooldownPassed: the first call after both the wait and
// the reopening's cooldown ran out reopens and moves to half-open again at
// once, starting a new wait.
func TestPolicyMaxWaitCooldownPassed(t *testing.T) {
	cb, clk, hook, p := policyMaxWait(t)
	clk.Set(7*time.Second + 500*time.Millisecond)
	policyCheckState(t, cb, HalfOpen) // reopened at 6s, cooldown over at 7s
	if s := cb.Stats(); s.State != HalfOpen || s.RetryAfter != 0 {
		t.Fatalf("Stats: state %v, RetryAfter %v; want half-open, 0", s.State, s.RetryAfter)
	}
	p2, err := cb.Allow()
	if err != nil {
		t.Fatalf("probe rejected: %v", err)
	}
	if got, want := hook.String(), "closed->open open->half-open half-open->open open->half-open"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}
	p.Done(nil) // the old probe: dropped, it changes nothing
	policyCheckState(t, cb, HalfOpen)
	clk.Set(12*time.Second + 500*time.Millisecond - 1)
	policyCheckState(t, cb, HalfOpen)
	clk.Set(12*time.Second + 500*time.Millisecond)
	policyCheckState(t, cb, Open)
	p2.Done(nil)
	policyCheckState(t, cb, Open)
}

// TestPolicyMaxWaitBackoff: a reopening for a hung probe counts as a
// reopening from half-open for WithBackoff.
func TestPolicyMaxWaitBackoff(t *testing.T) {
	cb, clk, hook, _ := policyMaxWait(t, WithBackoff(2, time.Minute, 0))
	clk.Set(6 * time.Second)
	if s := cb.Stats(); s.State != Open || s.RetryAfter != 2*time.Second {
		t.Fatalf("at 6s: state %v, RetryAfter %v; want open, 2s", s.State, s.RetryAfter)
	}
	policyExpectRejection(t, cb, Open, 2*time.Second)
	if s := cb.Stats(); s.Cooldown != 2*time.Second {
		t.Fatalf("after the reopening: Cooldown %v, want 2s", s.Cooldown)
	}
	clk.Set(8 * time.Second)
	p, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p.Done(errBoom)
	policyExpectRejection(t, cb, Open, 4*time.Second)
	// Hung again: 4s of cooldown after a wait that ran out at 17s.
	clk.Set(12 * time.Second)
	if _, err := cb.Allow(); err != nil {
		t.Fatal(err)
	}
	clk.Set(17 * time.Second)
	if s := cb.Stats(); s.State != Open || s.RetryAfter != 8*time.Second {
		t.Fatalf("at 17s: state %v, RetryAfter %v; want open, 8s", s.State, s.RetryAfter)
	}
	policyExpectRejection(t, cb, Open, 8*time.Second)
	if n := hook.count(HalfOpen, Open); n != 3 {
		t.Fatalf("%d half-open->open changes, want 3", n)
	}
}

// TestPolicyMaxWaitStatsCooldown: while State and Stats report the
// reopening of a hung probe before any call applies it, Stats.Cooldown is
// that reopening's cooldown ("the cooldown of the latest opening"), as it
// is once a call applies it.
func TestPolicyMaxWaitStatsCooldown(t *testing.T) {
	cb, clk, _, _ := policyMaxWait(t, WithBackoff(2, time.Minute, 0))
	clk.Set(6 * time.Second)
	before := cb.Stats()
	policyExpectRejection(t, cb, Open, 2*time.Second)
	after := cb.Stats()
	if before.State != Open || before.RetryAfter != 2*time.Second || before.Cooldown != 2*time.Second {
		t.Errorf("Stats before any call: state %v, RetryAfter %v, Cooldown %v; want open, 2s, 2s",
			before.State, before.RetryAfter, before.Cooldown)
	}
	if after.Cooldown != 2*time.Second {
		t.Errorf("Stats after a call: Cooldown %v, want 2s", after.Cooldown)
	}
}

// TestPolicyMaxWaitSparseProbes: WithHalfOpenMaxWait is for probes that
// hang. When calls come further apart than d and every probe answers at
// once, no probe hangs, so the circuit must close as it does without the
// option: here after 2 successful probes (probes 2), or after the probe
// that follows an ignored one.
func TestPolicyMaxWaitSparseProbes(t *testing.T) {
	for _, maxWait := range []bool{false, true} {
		t.Run(fmt.Sprintf("max wait %v/2 probes", maxWait), func(t *testing.T) {
			clk := newFakeClock()
			hook := &policyHook{}
			opts := []Option{withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second),
				WithHalfOpenProbes(2, 2), hook.option()}
			if maxWait {
				opts = append(opts, WithHalfOpenMaxWait(5*time.Second))
			}
			cb := New("sparse", opts...)
			policyCall(cb, 'F')
			for i := range 2 {
				clk.Advance(10 * time.Second) // a call every 10s, each answered at once
				if err := policyCall(cb, 'S'); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			if got, want := hook.String(), "closed->open open->half-open half-open->closed"; got != want {
				t.Fatalf("changes %q, want %q: a probe that answered at once was dropped as hung", got, want)
			}
		})
		t.Run(fmt.Sprintf("max wait %v/after an ignored probe", maxWait), func(t *testing.T) {
			clk := newFakeClock()
			opts := []Option{withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second)}
			if maxWait {
				opts = append(opts, WithHalfOpenMaxWait(5*time.Second))
			}
			cb := New("sparse", opts...)
			policyCall(cb, 'F')
			clk.Set(time.Second)
			policyCall(cb, 'I') // frees the slot
			clk.Set(10 * time.Second)
			if err := policyCall(cb, 'S'); err != nil {
				t.Fatal(err)
			}
			policyCheckState(t, cb, Closed)
		})
	}
}

// TestPolicyMaxWaitIgnoreFreesSlot: an ignored probe frees its slot, so
// the circuit is not overdue while no probe is outstanding.
func TestPolicyMaxWaitIgnoreFreesSlot(t *testing.T) {
	cb, clk, _, p := policyMaxWait(t)
	clk.Set(2 * time.Second)
	p.Done(policyErr('I'))
	policyCheckState(t, cb, HalfOpen)
	clk.Set(3 * time.Second)
	p2, err := cb.Allow()
	if err != nil {
		t.Fatalf("the freed slot was not reused: %v", err)
	}
	clk.Set(6*time.Second - 1)
	p2.Done(nil)
	policyCheckState(t, cb, Closed)

	// No probe outstanding: not overdue, whenever.
	cb, clk, hook, p := policyMaxWait(t)
	clk.Set(2 * time.Second)
	p.Done(policyErr('I'))
	for _, at := range []time.Duration{6 * time.Second, 6*time.Second + 500*time.Millisecond, time.Hour} {
		clk.Set(at)
		policyCheckState(t, cb, HalfOpen)
		if s := cb.Stats(); s.State != HalfOpen || s.RetryAfter != 0 {
			t.Fatalf("at %v, no probe outstanding: Stats state %v, RetryAfter %v; want half-open, 0", at, s.State, s.RetryAfter)
		}
	}
	if got, want := hook.String(), "closed->open open->half-open"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}
}

// TestPolicyMaxWaitBetweenWaves: with more successes needed than probes,
// the circuit is not overdue while no probe is out between waves.
func TestPolicyMaxWaitBetweenWaves(t *testing.T) {
	cb, clk, hook, p := policyMaxWait(t, withSuccesses(2))
	clk.Set(2 * time.Second)
	p.Done(nil)
	clk.Set(6*time.Second + 500*time.Millisecond)
	policyCheckState(t, cb, HalfOpen)
	if s := cb.Stats(); s.State != HalfOpen || s.RetryAfter != 0 {
		t.Fatalf("between waves: Stats state %v, RetryAfter %v; want half-open, 0", s.State, s.RetryAfter)
	}
	if got, want := hook.String(), "closed->open open->half-open"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}
}

// TestPolicyMaxWaitProbes: with several probes, one hung probe reopens the
// circuit even if the others succeeded.
func TestPolicyMaxWaitProbes(t *testing.T) {
	cb, clk, _, p1 := policyMaxWait(t, WithHalfOpenProbes(3, 3))
	p2, _ := cb.Allow()
	p3, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p1.Done(nil)
	p2.Done(nil)
	clk.Set(6*time.Second - 1)
	policyCheckState(t, cb, HalfOpen)
	clk.Set(6 * time.Second)
	policyCheckState(t, cb, Open)
	p3.Done(nil)
	policyCheckState(t, cb, Open)
}

// TestPolicyMaxWaitFromLatestResult: the wait restarts with every probe
// result, so probes that keep answering hold the circuit half-open past d,
// wave after wave, while one left hanging reopens it d after the latest
// result.
func TestPolicyMaxWaitFromLatestResult(t *testing.T) {
	cb, clk, _, p1 := policyMaxWait(t, WithHalfOpenProbes(3, 3))
	p2, _ := cb.Allow()
	p3, err := cb.Allow()
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(4 * time.Second)
	p1.Done(nil)
	clk.Set(8 * time.Second)
	p2.Done(nil) // 7s after admission, 4s after p1's result: still counts
	clk.Set(13*time.Second - 1)
	policyCheckState(t, cb, HalfOpen)
	clk.Set(13 * time.Second)
	policyCheckState(t, cb, Open)
	if s := cb.Stats(); s.RetryAfter != time.Second {
		t.Fatalf("reopened at 13s: RetryAfter %v, want 1s", s.RetryAfter)
	}
	p3.Done(nil)
	policyCheckState(t, cb, Open)

	// Overlapping waves taking 3s each, 10s in all, close the circuit.
	cb, clk, _, p := policyMaxWait(t, WithHalfOpenProbes(2, 2), withSuccesses(4))
	held := []*Permit{p}
	for i := range 4 {
		if len(held) < 2 && i < 3 {
			q, err := allowHeld(cb)
			if err != nil {
				t.Fatalf("probe %d: %v", i+2, err)
			}
			held = append(held, q)
		}
		clk.Advance(3 * time.Second)
		held[0].Done(nil)
		held = held[1:]
	}
	policyCheckState(t, cb, Closed)
}

// policyScript plays a half-open script on cb, which must be open with a
// cooldown of 1s: "+" waits the cooldown out; "a" calls and expects a probe
// to be admitted, holding it; "r" calls and expects a half-open rejection;
// "s", "f", "i" report success, failure, ignore for the oldest probe held;
// "=C", "=O", "=H" check the state.
func policyScript(t *testing.T, cb *Breaker, clk *fakeClock, script string) {
	t.Helper()
	var held []*Permit
	for i, op := range strings.Fields(script) {
		switch op {
		case "+":
			clk.Advance(time.Second)
		case "a":
			p, err := allowHeld(cb)
			if err != nil {
				t.Fatalf("op %d (%s of %q): rejected: %v", i, op, script, err)
			}
			held = append(held, p)
		case "r":
			p, err := cb.Allow()
			if err == nil {
				p.Done(nil)
				t.Fatalf("op %d (%s of %q): admitted, want a half-open rejection", i, op, script)
			}
			policyRejected(t, err, HalfOpen, time.Second)
		case "s", "f", "i":
			if len(held) == 0 {
				t.Fatalf("op %d of %q: no probe held", i, script)
			}
			held[0].Done(policyErr(strings.ToUpper(op)[0]))
			held = held[1:]
		case "=C", "=O", "=H":
			want := map[string]State{"=C": Closed, "=O": Open, "=H": HalfOpen}[op]
			if got := cb.Stats().State; got != want {
				t.Fatalf("op %d of %q: state %v, want %v", i, script, got, want)
			}
		default:
			t.Fatalf("bad op %q", op)
		}
	}
}

// TestPolicySuccessThreshold checks half-open admission and closing with n
// probe successes: fewer, as many as, and more than the probes (in waves).
func TestPolicySuccessThreshold(t *testing.T) {
	tests := []struct {
		name   string
		probes int
		n      int // 0: the default
		script string
	}{
		{"default: all probes", 2, 0, "+ a a r s =H r s =C"},
		{"n < probes: the first n close", 3, 2, "+ a a a r s =H r s =C f =C"},
		{"n < probes: 1", 3, 1, "+ a a a r s =C f f =C"},
		{"n == probes", 3, 3, "+ a a a r s =H r s =H r s =C"},
		{"n > probes: waves", 2, 5, "+ a a r s =H a r s =H a r s =H a r s =H r s =C"},
		{"n > probes: one probe at a time", 1, 3, "+ a r s =H a r s =H a r s =C"},
		{"n > probes: all slots at once", 2, 5, "+ a a r s s a a r s s a r s =C"},
		{"a failure reopens", 2, 5, "+ a a s s a f =O"},
		{"a failure reopens with a probe out", 2, 5, "+ a a s a f =O s =O"},
		{"a reopening starts the count over", 2, 5, "+ a a s s a f =O + a a r s s a a r s s a r s =C"},
		{"n < probes: a failure before n", 3, 2, "+ a a a s f =O s =O"},
		{"an ignored probe frees its slot", 1, 2, "+ a r i =H a r s =H a s =C"},
		{"an ignored probe does not count", 2, 3, "+ a a r i i =H a a r s s =H a r s =C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			opts := []Option{withClock(clk.Now), WithFailureThreshold(1), WithCooldown(time.Second), WithHalfOpenProbes(tt.probes, tt.probes)}
			if tt.n > 0 {
				opts = append(opts, withSuccesses(tt.n))
			}
			cb := New("success", opts...)
			policyCall(cb, 'F')
			policyScript(t, cb, clk, tt.script)
		})
	}
}

// TestPolicyInvalidValuesPanic: each bad value panics when the option (or
// window) is made, with a message naming it.
func TestPolicyInvalidValuesPanic(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		make func()
		want string
	}{
		{"rate 0", func() { WithFailureRate(0, LastN(10), 1) }, "WithFailureRate(0, last 10 calls, 1)"},
		{"rate < 0", func() { WithFailureRate(-0.5, LastN(10), 1) }, "WithFailureRate(-0.5,"},
		{"rate > 1", func() { WithFailureRate(1.5, LastN(10), 1) }, "WithFailureRate(1.5,"},
		{"rate NaN", func() { WithFailureRate(nan, LastN(10), 1) }, "WithFailureRate(NaN,"},
		{"rate +Inf", func() { WithFailureRate(math.Inf(1), LastN(10), 1) }, "WithFailureRate(+Inf,"},
		{"minCalls 0", func() { WithFailureRate(0.5, LastN(10), 0) }, "WithFailureRate(0.5, last 10 calls, 0)"},
		{"minCalls < 0", func() { WithFailureRate(0.5, Over(time.Minute, 6), -1) }, "WithFailureRate(0.5, last 1m0s in 6 buckets, -1)"},
		{"zero window", func() { WithFailureRate(0.5, Window{}, 1) }, "WithFailureRate(0.5, no window, 1)"},
		{"LastN(0)", func() { LastN(0) }, "LastN(0)"},
		{"LastN(-1)", func() { LastN(-1) }, "LastN(-1)"},
		{"Over 0s", func() { Over(0, 1) }, "Over(0s, 1)"},
		{"Over < 0", func() { Over(-time.Second, 1) }, "Over(-1s, 1)"},
		{"Over 0 buckets", func() { Over(time.Second, 0) }, "Over(1s, 0)"},
		{"Over < 0 buckets", func() { Over(time.Second, -2) }, "Over(1s, -2)"},
		{"Over buckets under 1ns", func() { Over(5, 10) }, "Over(5ns, 10)"},
		{"slow limit 0", func() { WithSlowCalls(0, 0.5) }, "WithSlowCalls(0s, 0.5)"},
		{"slow limit < 0", func() { WithSlowCalls(-time.Second, 0.5) }, "WithSlowCalls(-1s, 0.5)"},
		{"slow rate 0", func() { WithSlowCalls(time.Second, 0) }, "WithSlowCalls(1s, 0)"},
		{"slow rate > 1", func() { WithSlowCalls(time.Second, 1.01) }, "WithSlowCalls(1s, 1.01)"},
		{"slow rate NaN", func() { WithSlowCalls(time.Second, nan) }, "WithSlowCalls(1s, NaN)"},
		{"backoff multiplier < 1", func() { WithBackoff(0.5, time.Minute, 0) }, "WithBackoff(0.5, 1m0s, 0)"},
		{"backoff multiplier 0", func() { WithBackoff(0, time.Minute, 0) }, "WithBackoff(0, 1m0s, 0)"},
		{"backoff multiplier NaN", func() { WithBackoff(nan, time.Minute, 0) }, "WithBackoff(NaN, 1m0s, 0)"},
		{"backoff multiplier +Inf", func() { WithBackoff(math.Inf(1), time.Minute, 0) }, "WithBackoff(+Inf, 1m0s, 0)"},
		{"backoff max 0", func() { WithBackoff(2, 0, 0) }, "WithBackoff(2, 0s, 0)"},
		{"backoff max < 0", func() { WithBackoff(2, -time.Second, 0) }, "WithBackoff(2, -1s, 0)"},
		{"backoff jitter < 0", func() { WithBackoff(2, time.Minute, -0.1) }, "WithBackoff(2, 1m0s, -0.1)"},
		{"backoff jitter 1", func() { WithBackoff(2, time.Minute, 1) }, "WithBackoff(2, 1m0s, 1)"},
		{"backoff jitter NaN", func() { WithBackoff(2, time.Minute, nan) }, "WithBackoff(2, 1m0s, NaN)"},
		{"max wait 0", func() { WithHalfOpenMaxWait(0) }, "WithHalfOpenMaxWait(0s)"},
		{"max wait < 0", func() { WithHalfOpenMaxWait(-time.Second) }, "WithHalfOpenMaxWait(-1s)"},
		{"success threshold 0", func() { WithHalfOpenProbes(1, 0) }, "WithHalfOpenProbes(1, 0)"},
		{"success threshold < 0", func() { WithHalfOpenProbes(2, -3) }, "WithHalfOpenProbes(2, -3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := policyPanic(tt.make)
			if !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "runtime: ") {
				t.Fatalf("panic = %q, want it to name %s", msg, tt.want)
			}
		})
	}
}

// policyPanic returns the string f panics with, or "" if it does not panic.
func policyPanic(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg, _ = r.(string)
			if msg == "" {
				msg = fmt.Sprintf("non-string panic %v", r)
			}
		}
	}()
	f()
	return ""
}

// TestPolicyCrossOptionPanics: options that do not fit together panic in
// New and NewSet, whatever their order, not when they are made.
func TestPolicyCrossOptionPanics(t *testing.T) {
	tests := []struct {
		name string
		opts func() []Option
		want []string
	}{
		{"slow calls without a failure rate", func() []Option { return []Option{WithSlowCalls(time.Second, 0.5)} },
			[]string{"WithSlowCalls", "WithFailureRate"}},
		{"slow calls without a failure rate, with a threshold", func() []Option {
			return []Option{WithFailureThreshold(3), WithSlowCalls(time.Second, 0.5)}
		}, []string{"WithSlowCalls"}},
		{"LastN smaller than minCalls", func() []Option { return []Option{WithFailureRate(0.5, LastN(5), 6)} },
			[]string{"WithFailureRate", "minCalls 6", "5"}},
		{"backoff max shorter than the default cooldown", func() []Option { return []Option{WithBackoff(2, 10*time.Second, 0)} },
			[]string{"WithBackoff", "10s", "30s"}},
		{"backoff max shorter than the cooldown, cooldown last", func() []Option {
			return []Option{WithBackoff(2, 30*time.Second, 0), WithCooldown(time.Minute)}
		}, []string{"WithBackoff", "30s", "1m0s"}},
		{"backoff max 1ns short", func() []Option {
			return []Option{WithCooldown(time.Second), WithBackoff(2, time.Second-1, 0)}
		}, []string{"WithBackoff"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []Option
			if msg := policyPanic(func() { opts = tt.opts() }); msg != "" {
				t.Fatalf("making the options panicked: %s", msg)
			}
			for _, where := range []struct {
				name string
				f    func()
			}{
				{"New", func() { New("x", opts...) }},
				{"NewSet", func() { NewSet("x", WithBreakerOptions(opts...)) }},
			} {
				msg := policyPanic(where.f)
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("%s: panic = %q, want it to contain %q", where.name, msg, w)
					}
				}
			}
		})
	}
}

// TestPolicyValidEdges: the edge values that are allowed do not panic.
func TestPolicyValidEdges(t *testing.T) {
	sets := [][]Option{
		{WithFailureRate(1, LastN(1), 1)},
		{WithFailureRate(math.SmallestNonzeroFloat64, LastN(5), 5)},
		{WithFailureRate(0.5, Over(5, 5), 1), WithSlowCalls(1, 1)},
		{WithFailureRate(0.5, Over(time.Nanosecond, 1), 1000)},
		{WithBackoff(1, defaultCooldown, 0)},
		{WithCooldown(time.Second), WithBackoff(2, time.Second, 0.999)},
		{WithHalfOpenMaxWait(1), withSuccesses(1)},
		{WithHalfOpenProbes(5, 5), withSuccesses(100)},
	}
	for i, opts := range sets {
		if msg := policyPanic(func() { New("x", opts...); NewSet("x", WithBreakerOptions(opts...)) }); msg != "" {
			t.Errorf("set %d: %s", i, msg)
		}
	}
}
