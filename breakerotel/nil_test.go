package breakerotel

import (
	"strings"
	"testing"

	"github.com/breakergen/breakergen/runtime"
)

// TestAddNil checks that Add(nil) and AddSet(nil) panic at once, naming the
// call, and leave the Metrics as they were: a collection still succeeds.
func TestAddNil(t *testing.T) {
	m, reader := setup(t)
	m.Add(runtime.New("ok"))
	for call, do := range map[string]func(){
		"breakerotel: Metrics.Add":    func() { m.Add(nil) },
		"breakerotel: Metrics.AddSet": func() { m.AddSet(nil) },
	} {
		p := func() (p any) {
			defer func() { p = recover() }()
			do()
			return nil
		}()
		if s, _ := p.(string); !strings.Contains(s, call+": argument 1 of 1 is a nil") {
			t.Errorf("%s(nil): panic %v", call, p)
		}
	}
	if _, ok := collect(t, reader)["breaker.calls"]; !ok {
		t.Fatal("no breaker.calls after the panics")
	}
}
