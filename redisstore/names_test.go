package redisstore

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/shared"
)

// Any name is shared: bytes that are not UTF-8, NUL, newlines, braces
// (the keys' hash tag) and a long name reach the other replica as they
// are, and each lands on its own breaker only.
func TestAnyNameIsShared(t *testing.T) {
	srv := startRedis(t)
	names := []string{
		"\xff\xfe", "a\x00b", "line\nbreak", "{}", "}{", "{a}", "a}:state",
		"é", strings.Repeat("long", 4096),
	}
	stores := newStores(t, srv, 2)
	breakers := make([]map[string]*runtime.Breaker, 2)
	for i, s := range stores {
		breakers[i] = map[string]*runtime.Breaker{}
		for _, name := range append(names, "bystander") {
			breakers[i][name] = runtime.New(name, shared.WithStore(s))
		}
	}
	waitSubscribed(t, srv.addr(), 2)
	for _, name := range names {
		q := fmt.Sprintf("%q", name[:min(len(name), 12)])
		breakers[0][name].ForceOpen()
		eventually(t, time.Second, "the other replica's "+q+" open", func() bool { return breakers[1][name].Stats().State == runtime.Open })
		breakers[1][name].Reset()
		eventually(t, time.Second, "the first replica's "+q+" closed", func() bool { return breakers[0][name].Stats().State == runtime.Closed })
	}
	for i := range breakers {
		if s := breakers[i]["bystander"].Stats(); s.State != runtime.Closed || s.TransitionCounts != [3][3]uint64{} {
			t.Errorf("replica %d: a breaker no change named moved: %+v", i, s)
		}
	}
}
