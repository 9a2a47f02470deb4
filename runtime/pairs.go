package runtime

// numStates is the number of States: Closed, Open and HalfOpen.
const numStates = int(HalfOpen) + 1

// transitionCounts counts state changes by (from, to).
type transitionCounts [numStates][numStates]uint64

func (t *transitionCounts) add(from, to State) { t[from][to]++ }
