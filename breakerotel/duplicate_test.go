package breakerotel

import (
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestDuplicateName takes a breaker from a Set, adds it on its own, removes
// it from the Set and lets the Set make a new one of the same name: the
// collection reports the Set's current breaker, not the sum of both, and
// counts the other as skipped.
func TestDuplicateName(t *testing.T) {
	m, reader := setup(t)
	set := runtime.NewSet("agents")
	old := set.Get("a")
	for range 3 {
		succeed(t, old)
	}
	m.AddSet(set)
	m.Add(old)
	set.Remove("a")
	cur := set.Get("a")
	for range 5 {
		succeed(t, cur)
	}
	got := collect(t, reader)
	if v := successes(t, got["breaker.calls"]); v != 5 {
		t.Fatalf("breaker.calls{outcome=success} = %d, want 5 (the Set's current breaker)", v)
	}
	dup, ok := got["breaker.duplicate_names_skipped"].Data.(metricdata.Gauge[int64])
	if !ok || len(dup.DataPoints) != 1 || dup.DataPoints[0].Value != 1 {
		t.Fatalf("breaker.duplicate_names_skipped = %+v, want one point of 1", got["breaker.duplicate_names_skipped"].Data)
	}
	m.Remove(old)
	if _, ok := collect(t, reader)["breaker.duplicate_names_skipped"]; ok {
		t.Fatal("breaker.duplicate_names_skipped reported after Remove")
	}
}

// successes returns the success count of the only breaker in calls.
func successes(t *testing.T, calls metricdata.Metrics) int64 {
	t.Helper()
	sum, ok := calls.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("breaker.calls is %T", calls.Data)
	}
	for _, p := range sum.DataPoints {
		if v, _ := p.Attributes.Value("outcome"); v.AsString() == "success" {
			return p.Value
		}
	}
	t.Fatal("no success point")
	return 0
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
