package redisstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime/shared"
	"github.com/redis/go-redis/v9"
)

// Watch delivers every record published by the Store's replicas.
func (s *Store) Watch(ctx context.Context, ready func(), changed func(string, shared.Record)) error {
	if s.closed() {
		return shared.ErrStoreClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	s.reloadSlots(ctx)
	// Subscribing ends at a deadline, as every other operation does.
	subscribing, cancelSubscribe := context.WithTimeout(ctx, pingAnswer)
	ps := s.client.Subscribe(subscribing, s.channel)
	cancelSubscribe()
	defer ps.Close()
	// Closing the subscription is what interrupts a receive in progress.
	defer context.AfterFunc(ctx, func() { ps.Close() })()

	end := func(err error) error { return s.ended(ctx, err) }
	msg, err := ps.ReceiveTimeout(ctx, s.ping)
	if err != nil {
		return end(err)
	}
	if _, ok := msg.(*redis.Subscription); !ok {
		return end(fmt.Errorf("got %T before the subscription's confirmation", msg))
	}
	// The scripts load beside the subscription, not before it is ready: a
	// change sent before they are loaded, or after a failed load, costs
	// one more round trip (NOSCRIPT, then EVAL). On a Cluster a load
	// reloads the slots and reaches every node, which a failover slows.
	loading, cancelLoad := context.WithTimeout(ctx, pingAnswer)
	var loader sync.WaitGroup
	defer loader.Wait()
	defer cancelLoad()
	loader.Go(func() { s.loadScripts(loading) })
	ready()
	pinged := false
	for {
		wait := s.ping
		if pinged {
			wait = pingAnswer
		}
		msg, err := ps.ReceiveTimeout(ctx, wait)
		if err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() && !pinged && ctx.Err() == nil {
				if err := ps.Ping(ctx); err != nil {
					return end(err)
				}
				pinged = true
				continue
			}
			return end(err)
		}
		pinged = false
		if m, ok := msg.(*redis.Message); ok {
			name, rec, err := decodeMessage(m.Payload)
			if err != nil {
				return end(err)
			}
			changed(name, rec)
		}
	}
}

// loadScripts loads the scripts, so that the first state change is one
// round trip. It stops at the first that fails to load: the scripts are
// sent whole when they are not loaded.
func (s *Store) loadScripts(ctx context.Context) {
	for _, script := range []*redis.Script{loadScript, publishScript, acquireScript, reportScript} {
		if script.Load(ctx, s.client).Err() != nil {
			return
		}
	}
}

// ended returns the error that ends Watch.
func (s *Store) ended(ctx context.Context, err error) error {
	switch {
	case s.closed():
		return shared.ErrStoreClosed
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("redisstore: subscription to %s: %w", s.channel, err)
}

// reloadSlots has a cluster client load the cluster's slots before it
// subscribes, so that the subscription goes to the channel's current
// master. A cluster client learns that a slot moved (a failover) from its
// commands' errors, or at its next periodic reload (a minute by default);
// the subscription's errors do not reach it, and the Store sends no
// command until it is subscribed again. ForEachMaster reloads the slots
// before it runs; with nothing to run, that is all it does. A reload that
// fails, or runs past its deadline, leaves the slots the client had.
func (s *Store) reloadSlots(ctx context.Context) {
	c, ok := s.client.(interface {
		ForEachMaster(context.Context, func(context.Context, *redis.Client) error) error
	})
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, pingAnswer)
	defer cancel()
	c.ForEachMaster(ctx, func(context.Context, *redis.Client) error { return nil })
}

// pingAnswer is how long Watch waits for the answer to its PING.
const pingAnswer = 500 * time.Millisecond
