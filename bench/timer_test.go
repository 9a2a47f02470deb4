package bench

import (
	"errors"
	"sync/atomic"
	"time"
)

// timerGuard is the reference for the open path: a breaker whose state
// a timer flips at the cooldown's end, so that a rejection is one atomic
// load and a branch. It counts nothing and has no half-open state.
type timerGuard struct {
	next   Service
	open   atomic.Bool
	consec atomic.Int64
}

// errTimerOpen is timerGuard's rejection.
var errTimerOpen = errors.New("timer guard is open")

func (g *timerGuard) Get(n int) (int, error) {
	if g.open.Load() {
		return 0, errTimerOpen
	}
	r, err := g.next.Get(n)
	if err == nil {
		if g.consec.Load() != 0 {
			g.consec.Store(0)
		}
		return r, nil
	}
	if g.consec.Add(1) == threshold {
		g.open.Store(true)
		time.AfterFunc(cooldown, func() {
			g.consec.Store(0)
			g.open.Store(false)
		})
	}
	return r, err
}
