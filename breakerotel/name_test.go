package breakerotel

import (
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestInvalidName checks that a name that is not UTF-8 is made valid for
// its attribute and that an empty one is reported as Unnamed.
func TestInvalidName(t *testing.T) {
	m, reader := setup(t)
	m.Add(runtime.New("bad\xff"), runtime.New(""))
	retry := collect(t, reader)["breaker.retry_after"].Data.(metricdata.Gauge[float64])
	got := map[string]bool{}
	for _, p := range retry.DataPoints {
		v, _ := p.Attributes.Value("breaker")
		got[v.AsString()] = true
	}
	if len(got) != 2 || !got["bad\uFFFD"] || !got[Unnamed] {
		t.Fatalf("breaker attributes %v, want bad\\uFFFD and %s", got, Unnamed)
	}
}
