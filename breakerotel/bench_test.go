package breakerotel

import (
	"context"
	"fmt"
	goruntime "runtime"
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

// BenchmarkGoneNameMemory measures the heap a name costs for the 10
// minutes its counters stay after its last breaker goes (the SDK's state
// of its series included): it collects a Set of 10,000 breakers, removes
// them, collects again once the garbage collector took them and compares
// the heap with the one before the breakers were made.
func BenchmarkGoneNameMemory(b *testing.B) {
	const n = 10000
	heap := func() uint64 {
		var ms goruntime.MemStats
		goruntime.GC()
		goruntime.GC()
		goruntime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var perName float64
	for b.Loop() {
		reader := sdkmetric.NewManualReader()
		provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		m, err := NewMetrics(provider.Meter("bench"))
		if err != nil {
			b.Fatal(err)
		}
		agents := runtime.NewSet("agents")
		m.AddSet(agents)
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			b.Fatal(err)
		}
		before := heap()
		for i := range n {
			runtime.Do(agents.Get(fmt.Sprintf("agent-%d", i)), func() (int, error) { return 1, nil })
		}
		if err := reader.Collect(context.Background(), &rm); err != nil {
			b.Fatal(err)
		}
		for key := range agents.All() {
			agents.Remove(key)
		}
		if err := reader.Collect(context.Background(), &rm); err != nil {
			b.Fatal(err)
		}
		goruntime.GC() // takes the breakers; the next collection forgets them
		if err := reader.Collect(context.Background(), &rm); err != nil {
			b.Fatal(err)
		}
		perName = (float64(heap()) - float64(before)) / n
		goruntime.KeepAlive(m)
		provider.Shutdown(context.Background())
	}
	b.ReportMetric(perName, "B/gone-name")
}
