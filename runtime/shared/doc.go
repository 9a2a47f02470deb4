// Package shared shares the state changes of breakers with the breakers of
// the same name in the other replicas of a service, through a Store: an
// opening reaches the other replicas (WithQuorum sets how many must agree),
// one replica probes the dependency for all of them, and ForceOpen and
// Reset are cluster-wide. Only state changes and failure evidence travel,
// never successful calls, and never on a call's path: a breaker talks to
// its Store in the background and works as a local breaker while the
// Store fails.
//
// Failure evidence. With a Store that is an EvidenceStore (redisstore's
// is), each failure of a closed breaker with a failure threshold, and the
// success that ends a run of failures, is reported in the background, in
// batches: what comes while a report is on its way goes in the next. The
// Store sums the failures of every replica since a success last ended a
// run of failures on any of them (a success that ends none is not
// reported: successes never reach the Store); once they reach the
// threshold, from at least WithQuorum replicas, it opens the shared
// record, and every replica adopts it. So a dependency that fails for the
// whole cluster opens it after about one threshold of failures in total,
// however the calls are spread. Limits: evidence takes a round trip to
// the Store and a message to act, so calls that come faster than that
// (say 24 a millisecond over six replicas) pass meanwhile, as do calls
// that come at the same instant on several replicas, at most as many as
// without sharing, since each replica still opens on its own count; the
// evidence lapses once no failure has been reported for a cooldown; a
// failure-rate policy (WithFailureRate) shares only its openings; a
// report that fails is not sent again.
//
//	store, err := redisstore.New(client, redisstore.Options{Prefix: "coordinator"})
//	if err != nil { ... }
//	defer store.Close()
//	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(shared.WithStore(store)))
//
// The module github.com/breakergen/breakergen/redisstore implements Store
// on Redis.
package shared
