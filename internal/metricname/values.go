package metricname

import "github.com/breakergen/breakergen/runtime"

// States are the state label's values, in the order of their values, the
// indexes of runtime.Stats.TransitionCounts; ForcedOpen is the index after
// them of "forced_open": a circuit held open by ForceOpen, which is not
// also reported as open.
var (
	States     = [...]runtime.State{runtime.Closed, runtime.Open, runtime.HalfOpen}
	ForcedOpen = len(States)
)

// The indexes of the outcome label's values in Outcomes.
const (
	Success = iota
	Failure
	Ignore
	Rejected
	ShadowRejected
	NumOutcomes
)

// Outcomes are the outcome label's values: the runtime's outcomes, in the
// order of runtime.Stats.Totals, then the rejections (see Calls).
var Outcomes = func() (names [NumOutcomes]string) {
	for _, o := range [...]runtime.Outcome{runtime.Success, runtime.Failure, runtime.Ignore} {
		names[o] = o.String()
	}
	names[Rejected], names[ShadowRejected] = "rejected", "shadow_rejected"
	return names
}()

// Calls returns the calls of s by outcome label, of a breaker in shadow
// mode if shadow: its rejections are the calls it would have rejected, and
// it rejected none.
func Calls(s *runtime.Stats, shadow bool) (calls [NumOutcomes]uint64) {
	copy(calls[:], s.Totals[:])
	if shadow {
		calls[ShadowRejected] = s.TotalRejected
	} else {
		calls[Rejected] = s.TotalRejected
	}
	return calls
}
