package redisstore

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
)

// An opening adopted from another replica, through Redis, is marked
// remote with that replica's name: WithOnTransition gets it as the
// Transition's Origin, and the logger as remote=true origin=<replica>;
// the replica that opened sees its own transition as local.
func TestAdoptedOpeningNamesItsOrigin(t *testing.T) {
	srv := startRedis(t)
	var mu sync.Mutex
	origins := map[string][]string{} // replica -> the origins of its openings
	var logs syncBuffer
	var rs []*replica
	for i := range 3 {
		name := fmt.Sprint("r", i)
		rs = append(rs, newReplica(t, srv.addr(), name, runtime.WithFailureThreshold(1), runtime.WithCooldown(time.Minute),
			runtime.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
			runtime.WithOnTransition(func(tr runtime.Transition) {
				if tr.To == runtime.Open {
					mu.Lock()
					origins[name] = append(origins[name], tr.Origin)
					mu.Unlock()
				}
			})))
	}
	waitSubscribed(t, srv.addr(), 3)
	call(t, rs[1].cb, true)
	allState(t, rs, time.Second, runtime.Open)
	// Observers run once the transition is made, so wait for them too.
	eventually(t, time.Second, "every replica's observer", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(origins) == 3
	})
	mu.Lock()
	defer mu.Unlock()
	want := map[string][]string{"r0": {"r1"}, "r1": {""}, "r2": {"r1"}}
	if fmt.Sprint(origins) != fmt.Sprint(want) {
		t.Errorf("the origins of each replica's openings: %v, want %v", origins, want)
	}
	if n := strings.Count(logs.String(), "remote=true origin=r1"); n != 2 {
		t.Errorf("%d log lines with remote=true origin=r1, want 2:\n%s", n, logs.String())
	}
}
