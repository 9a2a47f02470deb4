package runtime

import "fmt"

// State is the state of a circuit breaker.
type State uint8

const (
	// Closed lets calls pass and counts consecutive failures.
	Closed State = iota
	// Open rejects every call until the cooldown has passed.
	Open
	// HalfOpen admits a limited number of probe calls to test the dependency.
	HalfOpen
)

// String returns "closed", "open" or "half-open".
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Outcome is how the result of a guarded call counts toward the breaker's
// state.
type Outcome uint8

const (
	// Success resets the consecutive-failure count; in HalfOpen it counts
	// toward closing the circuit.
	Success Outcome = iota
	// Failure counts toward opening the circuit; in HalfOpen it reopens it.
	Failure
	// Ignore counts neither way: the call is treated as if it had not been
	// made, and a probe slot it held is freed.
	Ignore
)

// String returns "success", "failure" or "ignore".
func (o Outcome) String() string {
	switch o {
	case Success:
		return "success"
	case Failure:
		return "failure"
	case Ignore:
		return "ignore"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}
