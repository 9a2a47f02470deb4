package metricname

import "github.com/breakergen/breakergen/runtime"

// States are the state label's values, in the runtime's order, and
// ForcedOpen is the index after them of "forced_open": a circuit held open
// by ForceOpen, which is not also reported as open.
var (
	States     = runtime.States()
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

// Outcomes are the outcome label's values: the runtime's Outcomes, then
// the rejections.
var Outcomes = func() (names [NumOutcomes]string) {
	for i, o := range runtime.Outcomes() {
		names[i] = o.String()
	}
	names[Rejected], names[ShadowRejected] = "rejected", "shadow_rejected"
	return names
}()
