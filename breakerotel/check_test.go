package breakerotel

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// counterCheck collects the monotonic counters of one reader and checks,
// at every collection, that they never go back: a cumulative value never
// drops while its start time stays, and a delta is never negative. It
// keeps the cumulative values, or for a delta reader the sums of the
// deltas, by stream. It is for one goroutine.
type counterCheck struct {
	reader *sdkmetric.ManualReader
	delta  bool
	values map[string]int64     // by stream: the cumulative value, or the sum of the deltas
	starts map[string]time.Time // by stream, of a cumulative reader
}

// newReaders returns Metrics on an SDK with two manual readers, cumulative
// and delta, and their checks.
func newReaders(t *testing.T) (*Metrics, *counterCheck, *counterCheck) {
	t.Helper()
	cum := sdkmetric.NewManualReader()
	delta := sdkmetric.NewManualReader(sdkmetric.WithTemporalitySelector(func(sdkmetric.InstrumentKind) metricdata.Temporality {
		return metricdata.DeltaTemporality
	}))
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(cum), sdkmetric.WithReader(delta))
	t.Cleanup(func() { provider.Shutdown(context.Background()) })
	m, err := NewMetrics(provider.Meter("breakerotel-test"))
	if err != nil {
		t.Fatal(err)
	}
	return m, newCheck(cum, false), newCheck(delta, true)
}

func newCheck(reader *sdkmetric.ManualReader, delta bool) *counterCheck {
	return &counterCheck{reader: reader, delta: delta, values: map[string]int64{}, starts: map[string]time.Time{}}
}

// streamKey names a stream: its instrument and attributes.
func streamKey(metric string, attrs attribute.Set) string {
	return metric + attrs.Encoded(attribute.DefaultEncoder())
}

// collect collects once and returns the first violation, or nil.
func (c *counterCheck) collect() error {
	var rm metricdata.ResourceMetrics
	if err := c.reader.Collect(context.Background(), &rm); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				continue
			}
			if !sum.IsMonotonic {
				return fmt.Errorf("%s is not monotonic", m.Name)
			}
			for _, p := range sum.DataPoints {
				if err := c.point(streamKey(m.Name, p.Attributes), p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (c *counterCheck) point(key string, p metricdata.DataPoint[int64]) error {
	if c.delta {
		if p.Value < 0 {
			return fmt.Errorf("%s: delta %d", key, p.Value)
		}
		c.values[key] += p.Value
		return nil
	}
	if prev, ok := c.values[key]; ok && p.Value < prev && p.StartTime.Equal(c.starts[key]) {
		return fmt.Errorf("%s: cumulative %d after %d, same start time", key, p.Value, prev)
	}
	c.values[key], c.starts[key] = p.Value, p.StartTime
	return nil
}

// mustCollect collects once with each check, failing t on a violation,
// and checks that the deltas add up to the cumulative values.
func mustCollect(t *testing.T, step string, checks ...*counterCheck) {
	t.Helper()
	for _, c := range checks {
		if err := c.collect(); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	if len(checks) == 2 {
		mustAddUp(t, step, checks[0], checks[1])
	}
}

// mustAddUp checks that the deltas of delta add up to the cumulative values
// of cum, stream by stream.
func mustAddUp(t *testing.T, step string, cum, delta *counterCheck) {
	t.Helper()
	for key, v := range cum.values {
		if d := delta.values[key]; d != v {
			t.Errorf("%s: %s: cumulative %d, deltas add up to %d", step, key, v, d)
		}
	}
}

// successes returns the successes of breaker name as c saw them: the last
// cumulative value, or the sum of the deltas.
func (c *counterCheck) successes(name string) int64 {
	attrs := attribute.NewSet(attribute.String("breaker", name), attribute.String("outcome", "success"))
	return c.values[streamKey("breaker.calls", attrs)]
}
