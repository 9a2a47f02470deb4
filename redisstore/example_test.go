package redisstore_test

import (
	"log"
	"time"

	"github.com/breakergen/breakergen/redisstore"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// Every replica of the coordinator builds its agents' breakers on the same
// Redis and Prefix: an opening in one replica is adopted by the others, and
// one replica probes an agent for all of them. (This example needs a Redis
// at localhost:6379, so go test compiles it but does not run it.)
func ExampleNew() {
	client := redis.NewClient(&redis.Options{
		Addr:                  "localhost:6379",
		ReadTimeout:           time.Second,
		ContextTimeoutEnabled: true,
	})
	defer client.Close()
	store, err := redisstore.New(client, redisstore.Options{Prefix: "coordinator"})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(shared.WithStore(store)))
	cb := agents.Get("agent-7")
	p, err := cb.Allow()
	if err != nil {
		log.Print(err) // open here or in another replica
		return
	}
	defer p.Release()
	p.Done(nil)
}
