package breakerprom

import (
	"strings"
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestDuplicateName takes a breaker from a Set, adds it on its own, removes
// it from the Set and lets the Set make a new one of the same name: the
// scrape succeeds, exports the Set's current breaker once and counts the
// other as skipped.
func TestDuplicateName(t *testing.T) {
	set := runtime.NewSet("agents")
	old := set.Get("a")
	for range 3 {
		succeed(t, old)
	}
	c := NewCollector()
	c.AddSet(set)
	c.Add(old)
	set.Remove("a")
	cur := set.Get("a")
	for range 5 {
		succeed(t, cur)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	if _, err := reg.Gather(); err != nil {
		t.Fatalf("Gather with a duplicate name: %v", err)
	}
	want := `# HELP breaker_duplicate_names_skipped Breakers not exported at this scrape because another breaker of the same name was: a Set's current breaker wins over a single one.
# TYPE breaker_duplicate_names_skipped gauge
breaker_duplicate_names_skipped 1
` + callsHead + `breaker_calls_total{breaker="agents/a",outcome="failure"} 0
breaker_calls_total{breaker="agents/a",outcome="ignore"} 0
breaker_calls_total{breaker="agents/a",outcome="rejected"} 0
breaker_calls_total{breaker="agents/a",outcome="success"} 5
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "breaker_duplicate_names_skipped", "breaker_calls_total"); err != nil {
		t.Fatal(err)
	}
	c.Remove(old)
	want = strings.Replace(want, "breaker_duplicate_names_skipped 1", "breaker_duplicate_names_skipped 0", 1)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "breaker_duplicate_names_skipped", "breaker_calls_total"); err != nil {
		t.Fatalf("after Remove: %v", err)
	}
}

// succeed makes one successful call through b.
func succeed(t *testing.T, b *runtime.Breaker) {
	t.Helper()
	p, err := b.Allow()
	if err != nil {
		t.Fatal(err)
	}
	p.Done(nil)
}
