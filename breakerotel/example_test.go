package breakerotel_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/breakergen/breakergen/breakerotel"
	"github.com/breakergen/breakergen/runtime"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Observe a coordinator's Set of per-agent breakers; agents that appear
// later are observed without any further call. The SDK and its reader are
// the application's choice: here a manual reader, in production usually a
// periodic reader with an OTLP exporter.
func ExampleMetrics() {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer provider.Shutdown(context.Background())

	m, err := breakerotel.NewMetrics(provider.Meter("coordinator"))
	if err != nil {
		panic(err)
	}
	defer m.Unregister()
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithFailureThreshold(1)))
	m.AddSet(agents)

	runtime.Do(agents.Get("bravo"), func() (int, error) { return 0, errors.New("timeout") })

	var rm metricdata.ResourceMetrics
	reader.Collect(context.Background(), &rm)
	for _, sm := range rm.ScopeMetrics {
		for _, metric := range sm.Metrics {
			if metric.Name != "breaker.state" {
				continue
			}
			for _, p := range metric.Data.(metricdata.Gauge[int64]).DataPoints {
				if p.Value == 1 {
					b, _ := p.Attributes.Value("breaker")
					s, _ := p.Attributes.Value("state")
					fmt.Printf("%s is %s\n", b.AsString(), s.AsString())
				}
			}
		}
	}
	// Output:
	// agents/bravo is open
}
