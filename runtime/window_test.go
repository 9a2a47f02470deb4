package runtime

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Outcomes as the window sees them.
var (
	windowS = tally{calls: 1}              // a success
	windowF = tally{calls: 1, failures: 1} // a failure
	windowL = tally{calls: 1, slow: 1}     // a slow success
)

// TestWindowLastNRing drives the ring of a LastN window by hand: the
// (n+1)th outcome pushes out the first, and so on around the ring.
func TestWindowLastNRing(t *testing.T) {
	w := newWindow(LastN(3))
	if w.timed() {
		t.Fatal("a LastN window reports that it needs the time")
	}
	steps := []struct {
		o    tally
		want tally
	}{
		{windowF, tally{calls: 1, failures: 1}},
		{windowS, tally{calls: 2, failures: 1}},
		{windowL, tally{calls: 3, failures: 1, slow: 1}},
		{windowS, tally{calls: 3, slow: 1}},              // the 4th outcome pushes out the failure
		{windowS, tally{calls: 3, slow: 1}},              // pushes out a success
		{windowF, tally{calls: 3, failures: 1}},          // pushes out the slow success
		{windowF, tally{calls: 3, failures: 2}},          // pushes out a success
		{windowF, tally{calls: 3, failures: 3}},          // pushes out a success
		{windowS, tally{calls: 3, failures: 2}},          // pushes out a failure
		{windowL, tally{calls: 3, failures: 1, slow: 1}}, // pushes out a failure
	}
	for i, s := range steps {
		// The time is ignored by a LastN window: pass nonsense.
		w.record(-int64(i)*1e12, s.o)
		if w.sum != s.want {
			t.Fatalf("after outcome %d: sum = %+v, want %+v", i, w.sum, s.want)
		}
		if got := w.current(math.MaxInt64); got != s.want {
			t.Fatalf("after outcome %d: current = %+v, want %+v", i, got, s.want)
		}
	}

	w.reset()
	if w.sum != (tally{}) {
		t.Fatalf("after reset: sum = %+v", w.sum)
	}
	// After a reset the ring fills from empty again: three outcomes all
	// count, the fourth pushes out the first of them.
	for i, want := range []tally{
		{calls: 1, failures: 1},
		{calls: 2, failures: 2},
		{calls: 3, failures: 2},
		{calls: 3, failures: 1},
	} {
		o := windowF
		if i >= 2 {
			o = windowS
		}
		w.record(0, o)
		if w.sum != want {
			t.Fatalf("after reset, outcome %d: sum = %+v, want %+v", i, w.sum, want)
		}
	}

	one := newWindow(LastN(1))
	for i, o := range []tally{windowF, windowS, windowL, windowF} {
		one.record(0, o)
		if one.sum != o {
			t.Fatalf("LastN(1) after outcome %d: sum = %+v, want %+v", i, one.sum, o)
		}
	}
}

// TestWindowOverBuckets drives an Over window of 10ns in 5 buckets of 2ns by
// hand: an outcome of epoch e counts while now/2 - e < 5.
func TestWindowOverBuckets(t *testing.T) {
	w := newWindow(Over(10, 5))
	if !w.timed() || w.width != 2 || len(w.buckets) != 5 {
		t.Fatalf("Over(10ns, 5): timed %v, width %d, %d buckets; want true, 2, 5", w.timed(), w.width, len(w.buckets))
	}
	type op struct {
		record bool
		now    int64
		o      tally
		want   tally
	}
	rec := func(now int64, o tally, want tally) op { return op{true, now, o, want} }
	at := func(now int64, want tally) op { return op{false, now, tally{}, want} }
	ops := []op{
		rec(0, windowF, tally{calls: 1, failures: 1}),                  // epoch 0
		at(9, tally{calls: 1, failures: 1}),                            // epoch 4: still in
		rec(9, windowS, tally{calls: 2, failures: 1}),                  // epoch 4
		at(10, tally{calls: 1}),                                        // epoch 5: epoch 0 is out
		at(17, tally{calls: 1}),                                        // epoch 8: epoch 4 still in
		at(18, tally{}),                                                // epoch 9: epoch 4 out
		rec(19, windowF, tally{calls: 1, failures: 1}),                 // epoch 9
		rec(5, windowS, tally{calls: 2, failures: 1}),                  // the clock stepped back: into epoch 9
		at(3, tally{calls: 2, failures: 1}),                            // stepping back ages nothing
		rec(21, windowL, tally{calls: 3, failures: 1, slow: 1}),        // epoch 10
		at(27, tally{calls: 3, failures: 1, slow: 1}),                  // epoch 13: epoch 9 still in
		at(28, tally{calls: 1, slow: 1}),                               // epoch 14: epoch 9 out, 10 in
		at(29, tally{calls: 1, slow: 1}),                               // still epoch 14
		at(30, tally{}),                                                // epoch 15: epoch 10 out
		rec(30, windowF, tally{calls: 1, failures: 1}),                 // epoch 15
		rec(32, windowF, tally{calls: 2, failures: 2}),                 // epoch 16
		rec(100, windowS, tally{calls: 1}),                             // epoch 50: a jump past the span clears all
		rec(1_000_000_001, windowF, tally{calls: 1, failures: 1}),      // epoch E = 500000000: a long jump clears all
		rec(-5, windowS, tally{calls: 2, failures: 1}),                 // before the base: into the latest epoch
		at(1_000_000_009, tally{calls: 2, failures: 1}),                // epoch E+4: still in
		at(1_000_000_010, tally{}),                                     // epoch E+5: out
		rec(1_000_000_011, windowS, tally{calls: 1}),                   // E+5
		rec(1_000_000_013, windowS, tally{calls: 2}),                   // E+6
		rec(1_000_000_019, windowF, tally{calls: 3, failures: 1}),      // E+9: E+5 and E+6 still in
		at(1_000_000_021, tally{calls: 2, failures: 1}),                // E+10: E+5 out
		at(1_000_000_023, tally{calls: 1, failures: 1}),                // E+11: E+6 out
		rec(1_000_000_023, windowF, tally{calls: 2, failures: 2}),      // E+11
		at(1_000_000_029, tally{calls: 1, failures: 1}),                // E+14: E+9 out, E+11 in
		rec(1_000_000_031, windowS, tally{calls: 2, failures: 1}),      // E+15: E+11 still in
		rec(1_000_000_033, windowS, tally{calls: 2}),                   // E+16: E+11 out
		rec(1_000_000_033+10, windowS, tally{calls: 1}),                // E+21: 5 epochs on, all out
		rec(1_000_000_033+10+8, windowF, tally{calls: 2, failures: 1}), // E+25: E+21 still in
	}
	for i, s := range ops {
		var got tally
		if s.record {
			w.record(s.now, s.o)
			got = w.sum
		} else {
			got = w.current(s.now)
		}
		if got != s.want {
			t.Fatalf("op %d (record %v at %d): tally = %+v, want %+v", i, s.record, s.now, got, s.want)
		}
	}

	// The width is the integer division: Over(10ns, 3) has buckets of 3ns
	// and spans 9ns.
	w = newWindow(Over(10, 3))
	if w.width != 3 {
		t.Fatalf("Over(10ns, 3): width %d, want 3", w.width)
	}
	w.record(0, windowF)
	if got := w.current(8); got != windowF {
		t.Fatalf("Over(10ns, 3) at 8ns: %+v, want the failure", got)
	}
	if got := w.current(9); got != (tally{}) {
		t.Fatalf("Over(10ns, 3) at 9ns: %+v, want nothing", got)
	}

	// reset forgets the outcomes but not the time.
	w = newWindow(Over(10, 5))
	w.record(40, windowF)
	w.record(41, windowS)
	w.reset()
	if got := w.current(41); got != (tally{}) {
		t.Fatalf("after reset: %+v", got)
	}
	w.record(3, windowF) // stepped back: into epoch 20
	if got := w.current(49); got != windowF {
		t.Fatalf("after reset, at 49ns: %+v, want the failure", got)
	}
	if got := w.current(50); got != (tally{}) {
		t.Fatalf("after reset, at 50ns: %+v, want nothing", got)
	}
}

// TestWindowOverBounds checks Over's documented lifetime of an outcome,
// more than (buckets-1)·w and at most buckets·w with w = d/buckets rounded
// down, at both ends of a bucket, for spans the buckets divide and spans
// they do not.
func TestWindowOverBounds(t *testing.T) {
	for _, win := range []Window{Over(10, 5), Over(10, 4), Over(10, 3), Over(11, 2), Over(7, 7), Over(time.Second, 7)} {
		w := int64(win.span) / int64(win.buckets)
		n := int64(win.buckets)
		for _, at := range []int64{0, w - 1, 3 * w, 4*w - 1} {
			ww := newWindow(win)
			ww.current(at) // the window has seen at already, as a breaker's would
			ww.record(at, windowF)
			// Aging is monotonic: counted at offset (n-1)·w and out at
			// offset n·w is a lifetime in ((n-1)·w, n·w].
			if ww.current(at+(n-1)*w) == (tally{}) {
				t.Errorf("%v, recorded at %d: out at offset %d, want it counted for more than (buckets-1)·w", win, at, (n-1)*w)
			}
			if got := ww.current(at + n*w); got != (tally{}) {
				t.Errorf("%v, recorded at %d: still counted at offset %d, want it out after buckets·w", win, at, n*w)
			}
			if d := int64(win.span); d%n == 0 && ww.current(at+d) != (tally{}) {
				t.Errorf("%v, recorded at %d: still counted at offset d", win, at)
			}
		}
	}
}

// windowModel is the naive reference for window: it keeps every outcome
// with its epoch and sums the ones in range.
type windowModel struct {
	n             int   // LastN; 0 for Over
	width, epochs int64 // Over
	latest        int64 // the latest epoch seen
	outs          []tally
	at            []int64
}

func (m *windowModel) see(now int64) {
	if m.n == 0 {
		m.latest = max(m.latest, now/m.width)
	}
}

func (m *windowModel) record(now int64, o tally) {
	m.see(now)
	m.outs = append(m.outs, o)
	m.at = append(m.at, m.latest)
}

func (m *windowModel) current(now int64) tally {
	m.see(now)
	var sum tally
	for i, o := range m.outs {
		if m.n > 0 && i < len(m.outs)-m.n || m.n == 0 && m.latest-m.at[i] >= m.epochs {
			continue
		}
		sum.add(o)
	}
	return sum
}

// TestWindowAgainstModel checks random sequences of outcomes, clock moves
// (forward, back, far) and resets against the naive model.
func TestWindowAgainstModel(t *testing.T) {
	windows := []Window{
		LastN(1), LastN(2), LastN(7), LastN(100),
		Over(1, 1), Over(10, 1), Over(10, 5), Over(10, 3), Over(7, 7), Over(100, 6), Over(time.Second, 10),
	}
	for _, win := range windows {
		t.Run(win.describe(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(win.n), uint64(win.span)))
			w := newWindow(win)
			m := &windowModel{n: win.n}
			if win.n == 0 {
				m.width, m.epochs = int64(win.span)/int64(win.buckets), int64(win.buckets)
			}
			span := int64(win.span)
			if span == 0 {
				span = 100
			}
			var now int64
			for i := range 5000 {
				switch k := r.IntN(100); {
				case k < 50:
					now += r.Int64N(span/4 + 1)
				case k < 55:
					now -= r.Int64N(span + 1) // the clock steps back
				case k < 58:
					now += span + r.Int64N(3*span) // far forward
				case k < 59:
					w.reset()
					m.outs, m.at = nil, nil
				}
				o := []tally{windowS, windowF, windowL}[r.IntN(3)]
				if r.IntN(4) == 0 {
					got, want := w.current(now), m.current(now)
					if got != want {
						t.Fatalf("step %d: current(%d) = %+v, want %+v", i, now, got, want)
					}
					continue
				}
				w.record(now, o)
				m.record(now, o)
				if want := m.current(now); w.sum != want {
					t.Fatalf("step %d: after record(%d, %+v): sum = %+v, want %+v", i, now, o, w.sum, want)
				}
			}
		})
	}
}

// windowRun reports a sequence of outcomes to cb, one call per byte:
// S success, F failure, I ignored (context.Canceled). It returns the index
// of the call after which cb was open, or -1; calls after it are not made.
func windowRun(t *testing.T, cb *Breaker, seq string) int {
	t.Helper()
	for i := range len(seq) {
		if err := policyCall(cb, seq[i]); err != nil {
			t.Fatalf("call %d (%c) rejected: %v", i, seq[i], err)
		}
		if cb.Stats().State == Open {
			return i
		}
	}
	return -1
}

// TestWindowRateBoundaries checks the rate rule at its edges: exactly at
// the threshold opens, just below does not; fewer than minCalls outcomes
// never open, and the call that reaches minCalls opens even if it is a
// success.
func TestWindowRateBoundaries(t *testing.T) {
	above := func(x float64) float64 { return math.Nextafter(x, 2) }
	tests := []struct {
		name      string
		threshold float64
		win       Window
		minCalls  int
		seq       string
		openAt    int // index of the call that opens, or -1
	}{
		{"3 of 10 meet 0.3", 0.3, LastN(10), 10, "SSSSSSSFFF", 9},
		{"3 of 10 miss the next float after 0.3", above(0.3), LastN(10), 10, "SSSSSSSFFF", -1},
		{"2 of 10 miss 0.3", 0.3, LastN(10), 10, "SSSSSSSSFF", -1},
		{"2 of 4 meet 0.5", 0.5, LastN(4), 4, "SFSF", 3},
		{"2 of 4 miss the next float after 0.5", above(0.5), LastN(4), 4, "SFSF", -1},
		{"1 of 4 misses 0.5", 0.5, LastN(4), 4, "FSSS", -1},
		{"1 of 10 meets 0.1", 0.1, LastN(10), 10, "SSSSSSSSSF", 9},
		{"7 of 10 meet 0.7", 0.7, LastN(10), 10, "SSSFFFFFFF", 9},
		{"3 of 5 meet 0.6", 0.6, LastN(5), 5, "SSFFF", 4},
		// 7/25 >= 0.28 and 14/25 >= 0.56, though 0.28*25 > 7 and 0.56*25 > 14.
		{"7 of 25 meet 0.28", 0.28, LastN(25), 25, strings.Repeat("S", 18) + strings.Repeat("F", 7), 24},
		{"14 of 25 meet 0.56", 0.56, LastN(25), 25, strings.Repeat("S", 11) + strings.Repeat("F", 14), 24},
		{"1 of 3 meets 1/3", 1.0 / 3, LastN(3), 3, "SSF", 2},
		{"1 of 3 misses 0.34", 0.34, LastN(3), 3, "SSF", -1},
		{"7 of 20 meet 0.35", 0.35, LastN(20), 20, strings.Repeat("S", 13) + strings.Repeat("F", 7), 19},
		{"6 of 20 miss 0.35", 0.35, LastN(20), 20, strings.Repeat("S", 14) + strings.Repeat("F", 6), -1},
		{"1.0 needs every call failed", 1, LastN(4), 4, "FFFF", 3},
		{"1.0 is missed by one success", 1, LastN(4), 4, "FFFS", -1},
		{"1.0 once the success is out", 1, LastN(4), 4, "SFFFF", 4},
		{"4 failures are below minCalls 5", 0.5, LastN(10), 5, "FFFF", -1},
		{"the 5th failure reaches minCalls 5", 0.5, LastN(10), 5, "FFFFF", 4},
		{"a success reaching minCalls opens", 0.5, LastN(10), 5, "FFFFS", 4},
		{"a success reaching minCalls 10 opens", 0.3, LastN(10), 10, "FFFSSSSSSS", 9},
		{"a success reaching minCalls 4 opens", 0.5, LastN(4), 4, "FFSS", 3},
		{"minCalls equal to LastN", 0.5, LastN(3), 3, "FF", -1},
		{"minCalls 1: one failure opens", 0.5, LastN(10), 1, "F", 0},
		{"minCalls 1: a success first", 0.5, LastN(10), 1, "SF", 1},
		{"Over: 3 of 10 meet 0.3", 0.3, Over(time.Minute, 6), 10, "SSSSSSSFFF", 9},
		{"Over: 2 of 10 miss 0.3", 0.3, Over(time.Minute, 6), 10, "SSSSSSSSFF", -1},
		{"Over: a success reaching minCalls opens", 0.5, Over(time.Minute, 6), 4, "FFFS", 3},
		{"Over keeps every outcome of the span", 0.5, Over(time.Minute, 6), 2, "SSSSFFFF", 7},
		{"ignored calls count in neither", 0.5, LastN(4), 4, "FIIIFIIS", -1},
		{"ignored calls count in neither, then opens", 0.5, LastN(4), 4, "FIIIFIISS", 8},
		{"ignored calls push nothing out", 0.75, LastN(4), 4, "FFSIIIIF", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.openAt != -1 && tt.openAt != len(tt.seq)-1 {
				t.Fatalf("bad table: openAt %d is not the last call of %q", tt.openAt, tt.seq)
			}
			clk := newFakeClock()
			cb := New("rate", withClock(clk.Now), WithFailureRate(tt.threshold, tt.win, tt.minCalls))
			if got := windowRun(t, cb, tt.seq); got != tt.openAt {
				t.Fatalf("%s: opened after call %d, want %d (-1: never)", tt.seq, got, tt.openAt)
			}
			// The window is not cleared on opening: Stats shows what
			// tripped it (or what it holds if it did not trip).
			var calls, failures int
			for i := len(tt.seq) - 1; i >= 0; i-- {
				if tt.win.n > 0 && calls == tt.win.n {
					break
				}
				switch tt.seq[i] {
				case 'S':
					calls++
				case 'F':
					calls++
					failures++
				}
			}
			s := cb.Stats()
			if s.WindowCalls != calls || s.FailureRate != float64(failures)/float64(calls) || s.SlowRate != 0 {
				t.Fatalf("Stats: %d calls, failure rate %v, slow rate %v; want %d, %v, 0",
					s.WindowCalls, s.FailureRate, s.SlowRate, calls, float64(failures)/float64(calls))
			}
		})
	}
}

// TestWindowLastNWrap checks that outcomes fall out of a LastN window
// exactly when the (n+1)th later outcome is recorded.
func TestWindowLastNWrap(t *testing.T) {
	tests := []struct {
		name      string
		threshold float64
		n         int
		seq       string
		openAt    int
	}{
		// [F S S S] 1/4; [S S S F] 1/4: the first failure is out at the 5th
		// call; [S S F F] 2/4 opens.
		{"a failure ages out at the (n+1)th call", 0.5, 4, "FSSSFF", 5},
		// [F F S S] 2/4 < 0.75; [F S S F] 2/4; [S S F F] 2/4; [S F F F] 3/4.
		{"two failures age out one by one", 0.75, 4, "FFSSFFF", 6},
		// A window of 1 holds only the latest outcome.
		{"LastN(1)", 1, 1, "SSSF", 3},
		// 100 successes push out 50 failures completely: [S x 100] then
		// one failure is 1/100.
		// 49 failures, pushed out by 100 successes: then 50 failures are
		// needed, not 1.
		{"a long run pushes out everything", 0.5, 100, strings.Repeat("F", 49) + strings.Repeat("S", 100) + strings.Repeat("F", 50), 198},
		{"one failure short", 0.5, 100, strings.Repeat("F", 49) + strings.Repeat("S", 100) + strings.Repeat("F", 49), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			// minCalls is the whole window, so nothing opens before the
			// ring is full.
			cb := New("wrap", withClock(clk.Now), WithFailureRate(tt.threshold, LastN(tt.n), tt.n))
			if got := windowRun(t, cb, tt.seq); got != tt.openAt {
				t.Fatalf("opened after call %d, want %d (-1: never)", got, tt.openAt)
			}
			if s := cb.Stats(); s.WindowCalls != tt.n {
				t.Fatalf("WindowCalls = %d, want %d", s.WindowCalls, tt.n)
			}
		})
	}
}

// TestWindowOverRollover checks an Over window of 10s in 5 buckets of 2s
// through a breaker: an outcome of epoch e counts while now/2s - e < 5.
func TestWindowOverRollover(t *testing.T) {
	type call struct {
		at   time.Duration // since the breaker was created
		o    byte
		want State
	}
	const ns = time.Nanosecond
	tests := []struct {
		name      string
		threshold float64
		minCalls  int
		calls     []call
	}{
		// threshold 0.5, minCalls 2: a failure plus a success opens the
		// circuit only if the failure still counts.
		{"start of epoch 0 counts at d-width+(width-1ns)", 0.5, 2, []call{
			{0, 'F', Closed}, {10*time.Second - ns, 'S', Open}}},
		{"start of epoch 0 is out at d", 0.5, 2, []call{
			{0, 'F', Closed}, {10 * time.Second, 'S', Closed}}},
		{"end of epoch 0 counts until the same boundary", 0.5, 2, []call{
			{2*time.Second - ns, 'F', Closed}, {10*time.Second - ns, 'S', Open}}},
		{"end of epoch 0 is out at the next epoch boundary", 0.5, 2, []call{
			{2*time.Second - ns, 'F', Closed}, {10 * time.Second, 'S', Closed}}},
		{"epoch 1 counts until 12s-1ns", 0.5, 2, []call{
			{2 * time.Second, 'F', Closed}, {12*time.Second - ns, 'S', Open}}},
		{"epoch 1 is out at 12s", 0.5, 2, []call{
			{2 * time.Second, 'F', Closed}, {12 * time.Second, 'S', Closed}}},
		// After a call in epoch 1, a jump to epoch 5 must age out epoch 0
		// too (the last bucket the loop reaches).
		{"a jump of 4 epochs ages out the bucket it lands on", 0.3, 3, []call{
			{0, 'F', Closed}, {2 * time.Second, 'S', Closed}, {10 * time.Second, 'S', Closed},
			{10 * time.Second, 'F', Open}}},
		{"the same calls a nanosecond earlier still count", 0.3, 3, []call{
			{0, 'F', Closed}, {2 * time.Second, 'S', Closed}, {10*time.Second - ns, 'S', Open}}},
		{"a jump longer than the span clears everything", 0.5, 3, []call{
			{0, 'F', Closed}, {time.Second, 'F', Closed}, {time.Hour, 'S', Closed},
			{time.Hour, 'S', Closed}, {time.Hour, 'F', Closed}, {time.Hour, 'F', Open}}},
		{"the same failures within the span open", 0.5, 3, []call{
			{0, 'F', Closed}, {time.Second, 'F', Closed}, {9 * time.Second, 'S', Open}}},
		// threshold 0.6, minCalls 3: a failure recorded when the clock
		// stepped back from 5s to 1s goes into epoch 2, not epoch 0, so it
		// still counts at 10s..14s-1ns.
		{"a clock stepping back records into the latest epoch", 0.6, 3, []call{
			{5 * time.Second, 'F', Closed}, {time.Second, 'F', Closed}, {10 * time.Second, 'S', Open}}},
		{"the stepped-back outcome ages with the latest epoch", 0.6, 3, []call{
			{5 * time.Second, 'F', Closed}, {time.Second, 'F', Closed}, {14 * time.Second, 'S', Closed},
			{14 * time.Second, 'F', Closed}, {14 * time.Second, 'F', Open}}},
		{"a clock before the creation", 0.6, 3, []call{
			{-time.Hour, 'F', Closed}, {-time.Second, 'F', Closed}, {9*time.Second + 999*time.Millisecond, 'S', Open}}},
		{"ignored calls count in neither, whenever", 0.5, 2, []call{
			{0, 'F', Closed}, {time.Second, 'I', Closed}, {10 * time.Second, 'I', Closed}, {10 * time.Second, 'F', Closed},
			{10 * time.Second, 'S', Open}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("over", withClock(clk.Now), WithFailureRate(tt.threshold, Over(10*time.Second, 5), tt.minCalls))
			for i, c := range tt.calls {
				clk.Set(c.at)
				if err := policyCall(cb, c.o); err != nil {
					t.Fatalf("call %d at %v rejected: %v", i, c.at, err)
				}
				if got := cb.Stats().State; got != c.want {
					t.Fatalf("after call %d (%c at %v): state %v, want %v", i, c.o, c.at, got, c.want)
				}
			}
		})
	}
}

// TestWindowClearedOnClose checks that the window starts empty whenever the
// circuit closes, after probes or Reset, and is kept while open.
func TestWindowClearedOnClose(t *testing.T) {
	for _, win := range []Window{LastN(10), Over(time.Minute, 6)} {
		for _, how := range []string{"probe", "reset"} {
			t.Run(win.describe()+"/"+how, func(t *testing.T) {
				clk := newFakeClock()
				cb := New("clear", withClock(clk.Now), WithCooldown(time.Second), WithFailureRate(0.5, win, 4))
				if got := windowRun(t, cb, "FFFF"); got != 3 {
					t.Fatalf("opened after call %d, want 3", got)
				}
				// Opening keeps the window: Stats shows the rate that
				// tripped it.
				if s := cb.Stats(); s.WindowCalls != 4 || s.FailureRate != 1 {
					t.Fatalf("open: WindowCalls %d, FailureRate %v; want 4, 1", s.WindowCalls, s.FailureRate)
				}
				clk.Advance(time.Second)
				if s := cb.Stats(); s.State != HalfOpen || s.WindowCalls != 4 {
					t.Fatalf("cooldown over: state %v, WindowCalls %d; want half-open, 4", s.State, s.WindowCalls)
				}
				switch how {
				case "probe":
					if err := policyCall(cb, 'S'); err != nil {
						t.Fatal(err)
					}
				case "reset":
					cb.Reset()
				}
				if s := cb.Stats(); s.State != Closed || s.WindowCalls != 0 || s.FailureRate != 0 {
					t.Fatalf("closed: %+v, want an empty window", s)
				}
				// Cleared: [S S S F] is 1/4. Had the four failures stayed,
				// it would be 5/8 and open.
				if got := windowRun(t, cb, "SSSF"); got != -1 {
					t.Fatalf("opened after call %d of SSSF: the window kept the old failures", got)
				}
				if s := cb.Stats(); s.WindowCalls != 4 || s.FailureRate != 0.25 {
					t.Fatalf("after SSSF: WindowCalls %d, FailureRate %v; want 4, 0.25", s.WindowCalls, s.FailureRate)
				}
				// Reset from closed clears it too.
				cb.Reset()
				if s := cb.Stats(); s.WindowCalls != 0 {
					t.Fatalf("Reset while closed: WindowCalls %d, want 0", s.WindowCalls)
				}
				if got := windowRun(t, cb, "SSF"); got != -1 {
					t.Fatalf("opened after call %d of SSF after Reset", got)
				}
			})
		}
	}
}

// TestWindowStaleCallsNotRecorded: a call admitted before a state change
// reports into no window.
func TestWindowStaleCallsNotRecorded(t *testing.T) {
	clk := newFakeClock()
	cb := New("stale", withClock(clk.Now), WithFailureRate(0.5, LastN(10), 2))
	old, _ := cb.Allow()
	cb.Reset()
	old.Done(errBoom)
	if s := cb.Stats(); s.WindowCalls != 0 || s.State != Closed {
		t.Fatalf("a call from before Reset was recorded: %+v", s)
	}
	// One in flight while the circuit opens.
	late, _ := cb.Allow()
	windowRun(t, cb, "FF")
	late.Done(nil)
	if s := cb.Stats(); s.WindowCalls != 2 || s.FailureRate != 1 {
		t.Fatalf("a call from before the opening was recorded: %+v", s)
	}
}

// TestWindowStats checks WindowCalls, FailureRate and SlowRate.
func TestWindowStats(t *testing.T) {
	const limit = 100 * time.Millisecond
	type want struct {
		calls      int
		fail, slow float64
	}
	tests := []struct {
		name string
		opts []Option
		seq  string // S, F, I as in windowRun; L, X a success, a failure slower than limit; + a second
		want want
	}{
		{"no window", nil, "SFFS", want{}},
		{"no window, consecutive rule", []Option{WithFailureThreshold(2)}, "SFSF", want{}},
		{"empty", []Option{WithFailureRate(0.5, LastN(10), 10)}, "", want{}},
		{"only ignored", []Option{WithFailureRate(0.5, LastN(10), 10)}, "III", want{}},
		{"one of three", []Option{WithFailureRate(0.9, LastN(10), 10)}, "SFIS", want{3, 1.0 / 3, 0}},
		{"last 4 of 6", []Option{WithFailureRate(0.9, LastN(4), 4)}, "FFSSFS", want{4, 0.25, 0}},
		{"slow", []Option{WithFailureRate(1, LastN(10), 10), WithSlowCalls(limit, 1)}, "SLLFI", want{4, 0.25, 0.5}},
		{"slow pushed out", []Option{WithFailureRate(1, LastN(3), 3), WithSlowCalls(limit, 1)}, "LSSF", want{3, 1.0 / 3, 0}},
		{"a slow failure is a failure", []Option{WithFailureRate(1, LastN(10), 10), WithSlowCalls(limit, 1)}, "SX", want{2, 0.5, 0}},
		{"Over: aged out without a call", []Option{WithFailureRate(0.9, Over(10*time.Second, 5), 10)}, "F++S++++++++", want{1, 0, 0}},
		{"Over: all aged out", []Option{WithFailureRate(0.9, Over(10*time.Second, 5), 10)}, "F++S++++++++++", want{}},
		{"Over: slow", []Option{WithFailureRate(1, Over(10*time.Second, 5), 10), WithSlowCalls(limit, 1)}, "LSFF", want{4, 0.5, 0.25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			cb := New("stats", append([]Option{withClock(clk.Now)}, tt.opts...)...)
			for i := range len(tt.seq) {
				c := tt.seq[i]
				if c == '+' {
					clk.Advance(time.Second)
					continue
				}
				p, err := cb.Allow()
				if err != nil {
					t.Fatalf("call %d rejected: %v", i, err)
				}
				switch c {
				case 'L', 'X':
					clk.Advance(limit + 1)
					if c == 'L' {
						p.Done(nil)
					} else {
						p.Done(errBoom)
					}
				default:
					p.Done(policyErr(c))
				}
			}
			s := cb.Stats()
			if got := (want{s.WindowCalls, s.FailureRate, s.SlowRate}); got != tt.want {
				t.Fatalf("WindowCalls, FailureRate, SlowRate = %v, want %v", got, tt.want)
			}
			if s.State != Closed {
				t.Fatalf("state %v, want closed", s.State)
			}
		})
	}
}
