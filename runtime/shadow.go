package runtime

// WithShadow runs the breaker in shadow mode, to calibrate its options on
// live traffic: its states, transitions and counters are those of the same
// breaker enforcing (Stats.TotalRejected counts the calls it would have
// rejected), but it rejects nothing. A call it would have rejected gets the
// zero Permit, and its result counts nowhere.
func WithShadow() Option {
	return func(c *config) { c.shadow = true }
}
