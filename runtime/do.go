package runtime

// Do calls fn if b admits the call and reports its result. While the circuit
// is open it returns the zero T and a *CircuitBreakerError without calling
// fn. A panic in fn counts as a failure and propagates unchanged.
func Do[T any](b *Breaker, fn func() (T, error)) (T, error) {
	p, err := b.Allow()
	if err != nil {
		var zero T
		return zero, err
	}
	defer p.Release()
	v, err := fn()
	p.Done(err)
	return v, err
}
