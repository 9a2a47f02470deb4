package runtime

// Config is a breaker's configuration, as its options set it. Unlike
// Stats, it never changes.
type Config struct {
	// FailureThreshold is the consecutive failures that open the circuit
	// (WithFailureThreshold); zero when WithFailureRate replaced that rule.
	FailureThreshold int
	// FailureRate and SlowRate are the thresholds of WithFailureRate and
	// WithSlowCalls, zero when the option is off.
	FailureRate float64
	SlowRate    float64
	// Shadow is set by WithShadow: the breaker rejects nothing, and counts
	// the calls it would have rejected in Stats.TotalRejected.
	Shadow bool
}

// Config returns b's configuration.
func (b *Breaker) Config() Config {
	return Config{
		FailureThreshold: int(b.cfg.threshold),
		FailureRate:      b.cfg.failureRate,
		SlowRate:         b.cfg.slowRate,
		Shadow:           b.cfg.shadow,
	}
}
