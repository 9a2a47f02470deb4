// Package shared shares the state changes of breakers with the breakers of
// the same name in the other replicas of a service, through a Store: an
// opening reaches the other replicas (WithQuorum sets how many must agree),
// one replica probes the dependency for all of them, and ForceOpen and
// Reset are cluster-wide. Only state changes travel, never calls or
// counts, and never on a call's path: a breaker talks to its Store in the
// background and works as a local breaker while the Store fails.
//
//	store, err := redisstore.New(client, redisstore.Options{Prefix: "coordinator"})
//	if err != nil { ... }
//	defer store.Close()
//	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(shared.WithStore(store)))
//
// The module github.com/breakergen/breakergen/redisstore implements Store
// on Redis.
package shared
