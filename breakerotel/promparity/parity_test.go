package promparity

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breakergen/breakergen/breakerotel"
	"github.com/breakergen/breakergen/breakerprom"
	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// fakeClock moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var errBoom = errors.New("boom")

// call makes one call through b that takes d on clk and returns err.
func call(b *runtime.Breaker, clk *fakeClock, d time.Duration, err error) {
	p, aerr := b.Allow()
	if aerr != nil {
		return
	}
	defer p.Release()
	clk.Advance(d)
	p.Done(err)
}

// breakers returns breakers in every state and of every configuration the
// metrics tell apart, on clk, and a function that ends the probes they hold.
func breakers(clk *fakeClock) ([]*runtime.Breaker, func()) {
	opts := []runtime.Option{breakertest.WithClock(clk.Now), runtime.WithCooldown(10 * time.Second)}
	near := runtime.New("near", append(opts, runtime.WithFailureThreshold(3))...)
	call(near, clk, 0, errBoom)
	windowed := runtime.New("windowed", append(opts, runtime.WithFailureRate(0.5, runtime.LastN(10), 4),
		runtime.WithSlowCalls(time.Second, 0.9))...)
	call(windowed, clk, 2*time.Second, nil)
	call(windowed, clk, 0, errBoom)
	call(windowed, clk, 0, nil)
	shadow := runtime.New("shadow", append(opts, runtime.WithShadow(), runtime.WithFailureThreshold(1))...)
	call(shadow, clk, 0, errBoom)
	call(shadow, clk, 0, nil)
	forced := runtime.New("forced", opts...)
	forced.ForceOpen()
	halfOpen := runtime.New("half-open", append(opts, runtime.WithFailureThreshold(1), runtime.WithHalfOpenProbes(2, 2),
		runtime.WithBackoff(2, time.Minute, 0))...)
	call(halfOpen, clk, 0, errBoom)
	clk.Advance(10 * time.Second)
	call(halfOpen, clk, 0, errBoom) // reopens, for 20s
	clk.Advance(20 * time.Second)
	probe, err := halfOpen.Allow()
	if err != nil {
		panic("the half-open breaker admits no probe: " + err.Error())
	}
	open := runtime.New("open", append(opts, runtime.WithFailureThreshold(1))...)
	call(open, clk, 0, errBoom)
	call(open, clk, 0, nil) // rejected
	clk.Advance(3 * time.Second)
	return []*runtime.Breaker{near, windowed, shadow, forced, halfOpen, open, runtime.New("")},
		func() { probe.Done(nil) }
}

// series returns the families of mfs as sorted lines: name, type, labels
// and value of each series.
func series(mfs []*dto.MetricFamily) map[string][]string {
	out := map[string][]string{}
	for _, mf := range mfs {
		var lines []string
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			v := m.GetGauge().GetValue()
			if mf.GetType() == dto.MetricType_COUNTER {
				v = m.GetCounter().GetValue()
			}
			lines = append(lines, fmt.Sprintf("%s %s{%s} %v", mf.GetType(), mf.GetName(), strings.Join(labels, ","), v))
		}
		sort.Strings(lines)
		out[mf.GetName()] = lines
	}
	return out
}

// TestSameAsBreakerprom exports the same breakers with breakerprom and
// with breakerotel through the OpenTelemetry Prometheus exporter, and
// checks that both give the same families, of the same types, with the
// same series and values. breaker_duplicate_names_skipped is the one
// difference: breakerotel observes it only while some name is shared.
func TestSameAsBreakerprom(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	bs, done := breakers(clk)
	defer done()

	promReg := prometheus.NewRegistry()
	c := breakerprom.NewCollector()
	c.Add(bs...)
	promReg.MustRegister(c)

	otelReg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(otelReg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		t.Fatal(err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	defer provider.Shutdown(context.Background())
	m, err := breakerotel.NewMetrics(provider.Meter("promparity"))
	if err != nil {
		t.Fatal(err)
	}
	m.Add(bs...)

	want := gather(t, promReg)
	got := gather(t, otelReg)
	if skipped := want["breaker_duplicate_names_skipped"]; !slices.Equal(skipped, []string{"GAUGE breaker_duplicate_names_skipped{} 0"}) {
		t.Errorf("breakerprom's skipped duplicates: %v", skipped)
	}
	delete(want, "breaker_duplicate_names_skipped")
	for name, lines := range want {
		if !slices.Equal(got[name], lines) {
			t.Errorf("%s:\nbreakerotel %s\nbreakerprom %s", name, strings.Join(got[name], "\n            "), strings.Join(lines, "\n            "))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("breakerotel exports %s, which breakerprom does not: %v", name, got[name])
		}
	}
	// Between them, the breakers have every family breakerprom has.
	if len(want) != 16 {
		t.Errorf("breakerprom exported %d families, want 16: %v", len(want), slices.Sorted(maps.Keys(want)))
	}
}

func gather(t *testing.T, reg *prometheus.Registry) map[string][]string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return series(mfs)
}
