package breakerprom

import (
	"strings"
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

// TestAddNil checks that Add(nil) and AddSet(nil) panic at once, naming the
// call, and leave the Collector as it was: its scrape still succeeds.
func TestAddNil(t *testing.T) {
	c := NewCollector()
	c.Add(runtime.New("ok"))
	for call, do := range map[string]func(){
		"breakerprom: Collector.Add":    func() { c.Add(nil) },
		"breakerprom: Collector.AddSet": func() { c.AddSet(nil) },
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
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	if _, err := reg.Gather(); err != nil {
		t.Fatalf("Gather after the panics: %v", err)
	}
}
