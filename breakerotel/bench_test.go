package breakerotel

import (
	"context"
	"fmt"
	"testing"

	"github.com/breakergen/breakergen/runtime"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// BenchmarkCollect collects the metrics of a Set of 1,000 breakers through
// the SDK's manual reader and reports the cost per breaker.
func BenchmarkCollect(b *testing.B) {
	const n = 1000
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer provider.Shutdown(context.Background())
	m, err := NewMetrics(provider.Meter("bench"))
	if err != nil {
		b.Fatal(err)
	}
	agents := runtime.NewSet("agents")
	for i := range n {
		runtime.Do(agents.Get(fmt.Sprintf("agent-%d", i)), func() (int, error) { return 1, nil })
	}
	m.AddSet(agents)
	b.ReportAllocs()
	var rm metricdata.ResourceMetrics
	for b.Loop() {
		if err := reader.Collect(context.Background(), &rm); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/breaker")
}
