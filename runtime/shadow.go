package runtime

// WithShadow runs the breaker in shadow mode, to calibrate its options on
// live traffic before it enforces them: it computes every state exactly as
// it would otherwise, logs and reports every transition, and counts the
// calls it would have rejected (Stats.TotalShadowRejected), but it rejects
// none. A call it would have rejected goes ahead unguarded: Allow returns
// the zero Permit and a nil error, and the call's result counts nowhere,
// since an enforcing breaker would not have made the call. So the states,
// transitions and counters of a shadow breaker are those of the same
// breaker enforcing, with TotalShadowRejected in place of TotalRejected.
//
// The closed-state path is the same as without the option: it costs
// nothing more.
func WithShadow() Option {
	return func(c *config) { c.shadow = true }
}
