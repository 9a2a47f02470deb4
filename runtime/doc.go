// Package runtime is the circuit breaker that breakergen's generated wrappers
// call. It has no dependencies beyond the standard library, so generated code
// builds with nothing but this package.
//
// A Breaker has three states. Closed: calls pass and consecutive failures are
// counted; any success resets the count. Open, by default after 5
// consecutive failures: every call is rejected with a *CircuitBreakerError
// that says when to retry, and the dependency is not called. HalfOpen, once
// the cooldown has passed: a few trial calls, probes, are admitted (by
// default one); if they succeed the circuit closes, if any fails it opens
// again for a fresh cooldown.
//
// Generated code guards each call with the Allow/Done pair:
//
//	p, err := cb.Allow()
//	if err != nil {
//		return err // *CircuitBreakerError: the dependency was not called
//	}
//	defer p.Release() // a panic or runtime.Goexit counts as a failure
//	err = next.Call()
//	p.Done(err)
//
// Only the first Done or Release of a Permit counts. A Permit is not to be
// copied (go vet reports copies); see Permit for what a copy does.
//
// With the default options, the closed-state success path takes no lock,
// reads no clock and allocates nothing, but once in a breaker's life: the
// first time two callers collide on its success count, the count takes
// 512 bytes to spread over cache lines. Code without a generated wrapper
// can use Do.
//
// The defaults trip on consecutive failures. Options add trip policies and
// gentler recovery, each paid for only by the breakers that use it:
// WithFailureRate opens on the share of failures over a window (LastN or
// Over), WithSlowCalls on the share of slow successes, WithBackoff lengthens
// the cooldown of a circuit that keeps failing its probes,
// WithHalfOpenMaxWait reopens a circuit whose probe hangs, and
// WithSuccessThreshold sets how many probes must succeed to close it.
//
// Replicas of a service can share their breakers' state changes with
// package runtime/shared, an option of its own: an opening reaches the
// other replicas, one replica probes for all of them, and ForceOpen and
// Reset are cluster-wide. The module
// github.com/breakergen/breakergen/redisstore is its store on Redis.
//
// WithShadow runs a breaker in shadow mode, to try its options on live
// traffic: it goes through every state and transition but rejects nothing,
// counting the calls it would have rejected. A Set holds a breaker per key
// (per agent, per method); WithKeyOptions and WithIdleEviction let it live
// as long as the service while keys come and go. Exporters read Stats,
// from single breakers and whole Sets gathered in a Group; the breakerprom
// and breakerotel modules export them to Prometheus and OpenTelemetry at
// no cost to the calls.
//
// Results of calls admitted before a state change belong to an older
// generation of the breaker and never count toward the new state, so a slow
// call that started before the circuit opened cannot extend the cooldown or
// close a circuit it did not probe.
//
// README.md in this directory describes every option, trip policy, state
// and error case in one place, with their defaults.
package runtime
