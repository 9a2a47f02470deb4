// Package runtime is the circuit breaker that breakergen's generated wrappers
// call. It has no dependencies beyond the standard library.
//
// A Breaker is Closed while calls pass; by default 5 consecutive failures
// open it. Open, it rejects every call with a *CircuitBreakerError that says
// when to retry, without calling the dependency. Once the cooldown has
// passed it is HalfOpen: a few probes are admitted, and their results close
// the circuit or open it again. Generated code guards each call with the
// Allow/Done pair (see Breaker.Allow); other code can use Do. The
// closed-state success path takes no lock, reads no clock and allocates
// nothing.
//
// Options add trip policies (WithFailureRate, WithSlowCalls) and gentler
// recovery (WithBackoff, WithHalfOpenProbes, WithHalfOpenMaxWait), each paid
// for only by the breakers that use it; WithShadow tries options on live
// traffic without rejecting anything. A Set holds a breaker per key, such
// as per agent or per method. Stats and Config are what exporters read: the
// breakerprom and breakerotel modules export them. Package runtime/shared
// shares state changes between the replicas of a service, and the module
// redisstore stores them on Redis.
//
// Results of calls admitted before a state change never count toward the
// new state, so a slow call that started before the circuit opened cannot
// extend the cooldown or close a circuit it did not probe.
//
// What breakergen will not do, and the rule for a new option, are in
// DESIGN.md at the repository's root.
package runtime
