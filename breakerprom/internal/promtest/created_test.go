package promtest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TestCreatedSamples records what the Prometheus the tests run does with a
// counter's creation time. Prometheus 2.42 (Debian 12) has no
// created-timestamp-zero-ingestion feature (2.50 added it): it logs the
// name as unknown and goes on. Offered OpenMetrics with _created samples,
// it stores each as a series of its own, <name>_created, whose value is
// the creation time in Unix seconds; queries can read it like any gauge.
func TestCreatedSamples(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "promtest_born_total", Help: "Born."})
	reg.MustRegister(c)
	c.Inc()
	before := time.Now()
	p := Start(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		EnableOpenMetrics:                   true,
		EnableOpenMetricsTextCreatedSamples: true,
	}), Options{Features: []string{"created-timestamp-zero-ingestion"}})

	if log := p.Log(); !strings.Contains(log, "Unknown option for --enable-feature") {
		t.Errorf("prometheus took created-timestamp-zero-ingestion silently; its log:\n%s", log)
	}
	v := p.WaitFor(t, `promtest_born_created`, nil)
	if len(v) != 1 || math.Abs(v[0].Value-float64(before.Unix())) > 60 {
		t.Errorf("promtest_born_created = %v, want one series near %d", v, before.Unix())
	}
	if v := p.Query(t, `promtest_born_total`); len(v) != 1 || v[0].Value != 1 {
		t.Errorf("promtest_born_total = %v, want 1", v)
	}
}
