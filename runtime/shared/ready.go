package shared

import (
	"context"
	"fmt"
)

// Ready waits until every breaker sharing its state through s has read
// the shared record of its name once since it was made, or until ctx is
// done. A replica that starts serving before then decides alone: it lets
// calls through to a dependency the other replicas have found down, until
// the record arrives (within a round trip to the Store, in the
// background). Call it after making the breakers (a Set's on the Get of
// each key), with a deadline: while the Store fails, the breakers work
// locally and Ready returns ctx's error, naming how many have not read
// their record. With no breaker using s, it returns nil at once.
func Ready(ctx context.Context, s Store) error {
	hubs.Lock()
	h := hubs.m[s]
	hubs.Unlock()
	if h == nil {
		return nil
	}
	sharers := h.live("")
	for _, sh := range sharers {
		select {
		case <-sh.loaded:
		case <-ctx.Done():
			waiting := 0
			for _, sh := range sharers {
				select {
				case <-sh.loaded:
				default:
					waiting++
				}
			}
			return fmt.Errorf("shared: Ready: %d of %d breakers have not read their shared state: %w", waiting, len(sharers), context.Cause(ctx))
		}
	}
	return nil
}
