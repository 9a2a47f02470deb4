package metricname

import (
	"testing"

	"github.com/breakergen/breakergen/runtime"
)

// TestCalls checks where the rejections of a breaker go, enforcing or in
// shadow mode, and that the outcomes keep the runtime's order.
func TestCalls(t *testing.T) {
	s := runtime.Stats{Totals: [3]uint64{runtime.Success: 1, runtime.Failure: 2, runtime.Ignore: 3}, TotalRejected: 4}
	if got, want := Calls(&s, false), [NumOutcomes]uint64{1, 2, 3, 4, 0}; got != want {
		t.Errorf("Calls(enforcing) = %v, want %v", got, want)
	}
	if got, want := Calls(&s, true), [NumOutcomes]uint64{1, 2, 3, 0, 4}; got != want {
		t.Errorf("Calls(shadow) = %v, want %v", got, want)
	}
	for i, name := range []string{"success", "failure", "ignore", "rejected", "shadow_rejected"} {
		if Outcomes[i] != name {
			t.Errorf("Outcomes[%d] = %q, want %q", i, Outcomes[i], name)
		}
	}
}
