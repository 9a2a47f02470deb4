// Package redisstore shares breakergen breakers' state changes between the
// replicas of a service through Redis: it implements shared.Store on a
// go-redis client. Its tests run it on a single redis-server, on a Redis
// Cluster (redis.NewClusterClient) and on Sentinel (redis.NewFailoverClient).
//
//	store, err := redisstore.New(client, redisstore.Options{Prefix: "coordinator"})
//	if err != nil { ... }
//	defer store.Close()
//	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(shared.WithStore(store)))
//
// Successful calls never reach Redis: the breakers report failures,
// publish their state changes, take the probe lease and watch the others'
// changes in the background. Give the client ContextTimeoutEnabled so
// that every operation ends at its deadline even when Redis stops
// answering.
//
// One Store serves every breaker of a process; every replica of a service
// uses the same Options.Prefix. How replicas agree (adoption of an opening,
// one probe for all, quorum, the local fallback while Redis fails) and what
// the Redis tests measure: README.md of this module.
package redisstore
