// Package rediscache is a cache in front of a slow source whose go-redis
// client goes through a circuit breaker: while Redis is down, the cache
// answers from the source at once instead of waiting on Redis for every
// call, and it tries Redis again after the cooldown.
//
// The wrapper is generated with -result-err, since every go-redis command
// reports its error in its result (cmd.Err()); Classify keeps a cache miss
// (redis.Nil) from counting as a failure.
package rediscache

import (
	"context"
	"errors"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/redis/go-redis/v9"
)

//go:generate go tool breakergen -type=Client -result-err

// Client is the part of go-redis's client the cache uses; *redis.Client,
// *redis.ClusterClient and *redis.Ring implement it.
type Client interface {
	Get(ctx context.Context, key string) *redis.StringCmd
	Set(ctx context.Context, key string, value any, ttl time.Duration) *redis.StatusCmd
}

// Classify is the classifier of the cache's breaker: a miss (redis.Nil)
// is an answer, not a failure; a caller that gave up (context.Canceled)
// counts neither way, as by default; every other error is a failure.
func Classify(err error) runtime.Outcome {
	switch {
	case errors.Is(err, redis.Nil):
		return runtime.Success
	case errors.Is(err, context.Canceled):
		return runtime.Ignore
	}
	return runtime.Failure
}

// A Cache reads through Redis to a source.
type Cache struct {
	redis  *ClientBreaker
	source func(ctx context.Context, key string) (string, error)
	ttl    time.Duration
}

// New returns a cache of source's values in client, through cb, each kept
// for ttl. Give cb the option runtime.WithClassifier(Classify).
func New(client Client, cb *runtime.Breaker, source func(ctx context.Context, key string) (string, error), ttl time.Duration) *Cache {
	return &Cache{redis: NewClientBreaker(client, cb), source: source, ttl: ttl}
}

// Get returns the value of key: from Redis, or from the source on a miss,
// when Redis fails, or at once while its circuit is open; a value read
// from the source is stored in Redis unless the circuit is open.
func (c *Cache) Get(ctx context.Context, key string) (string, error) {
	v, err := c.redis.Get(ctx, key).Result()
	if err == nil {
		return v, nil
	}
	open := errors.Is(err, runtime.ErrOpen)
	if v, err = c.source(ctx, key); err != nil {
		return "", err
	}
	if !open {
		c.redis.Set(ctx, key, v, c.ttl) // best effort: the breaker counts a failure
	}
	return v, nil
}
