package runtime

// A Transition is one state change of a breaker, as WithOnTransition
// reports it.
type Transition struct {
	Name     string
	From, To State
	// Remote is true when the change was adopted from another replica
	// through the breaker's Store (WithStore); Origin then names that
	// replica.
	Remote bool
	Origin string
}

// WithOnTransition sets a function called after every state change, like
// WithOnStateChange's, with the change's details: whether it was adopted
// from another replica, and from which. Calls come one at a time, in the
// order of the changes, outside any lock. The default is none.
func WithOnTransition(f func(Transition)) Option {
	return func(c *config) { c.shared.onTransition = f }
}
