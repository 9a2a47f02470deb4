package breakerotel

import (
	"context"
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/embedded"
)

// countingObserver counts the observations of breaker.retry_after, one a
// breaker.
type countingObserver struct {
	embedded.Observer
	retry metric.Float64Observable
	n     int
}

func (o *countingObserver) ObserveFloat64(inst metric.Float64Observable, _ float64, _ ...metric.ObserveOption) {
	if inst == o.retry {
		o.n++
	}
}

func (*countingObserver) ObserveInt64(metric.Int64Observable, int64, ...metric.ObserveOption) {}

// TestObserveAllWhenCanceled checks that a collection whose context ends
// while it runs still observes every breaker, so that no name misses a
// collection.
func TestObserveAllWhenCanceled(t *testing.T) {
	m, _ := setup(t)
	for _, name := range []string{"a", "b", "c"} {
		m.Add(runtime.New(name))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := &countingObserver{retry: m.retry}
	if err := m.observe(ctx, o); err != nil {
		t.Fatal(err)
	}
	if o.n != 3 {
		t.Fatalf("%d breakers observed, want 3", o.n)
	}
}
