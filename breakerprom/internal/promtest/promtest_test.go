package promtest

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TestStart starts a server, queries it, checks that query errors and
// results that are not vectors are reported, and that the server is gone
// when the test that started it ends.
func TestStart(t *testing.T) {
	var pid int
	t.Run("server", func(t *testing.T) { pid = startAndQuery(t) })
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("prometheus, PID %d, after its test: %v; want it gone", pid, err)
	}
}

func startAndQuery(t *testing.T) int {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "promtest_things_total", Help: "Things."}, []string{"kind"})
	reg.MustRegister(c)
	c.WithLabelValues("a").Add(3)
	p := Start(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), Options{})

	v := p.WaitFor(t, `promtest_things_total`, nil)
	if got := v.By("kind"); len(got) != 1 || got["a"] != 3 {
		t.Fatalf("promtest_things_total = %v, want a=3", v)
	}
	if v[0].Labels["job"] != "breakerprom" || v[0].Labels["instance"] != p.Target {
		t.Errorf("labels %v: want job=breakerprom, instance=%s", v[0].Labels, p.Target)
	}
	c.WithLabelValues("b").Inc()
	p.WaitFor(t, `promtest_things_total{kind="b"} == 1`, nil)
	n, accept := p.Scrapes()
	if n < 2 {
		t.Errorf("%d scrapes counted, want at least 2", n)
	}
	// Prometheus 2.42 prefers OpenMetrics; promhttp answers in it only
	// with HandlerOpts.EnableOpenMetrics.
	if !strings.Contains(accept, "application/openmetrics-text") {
		t.Errorf("Accept: %s, want application/openmetrics-text offered", accept)
	}

	if v, err := p.query(`up ==`); err == nil || !strings.Contains(err.Error(), "bad_data") {
		t.Errorf("query of bad PromQL: %v, %v; want a bad_data error", v, err)
	}
	if v, err := p.query(`1`); err == nil || !strings.Contains(err.Error(), "scalar") {
		t.Errorf("query of a scalar: %v, %v; want an error naming the scalar", v, err)
	}
	if got := p.Query(t, `up`).By("job"); got["breakerprom"] != 1 {
		t.Errorf("up = %v, want breakerprom=1", got)
	}
	return p.PID
}

// recorder is a testing.TB that records Fatalf instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestCheckMetrics(t *testing.T) {
	Binary(t, "promtool")
	for _, tc := range []struct {
		name, exposition, problem string
	}{
		{"clean", "# HELP x_total X.\n# TYPE x_total counter\nx_total 1\n", ""},
		{"no help", "# TYPE x_total counter\nx_total 1\n", "no help text"},
		{"counter without _total", "# HELP x X.\n# TYPE x counter\nx 1\n", `counter metrics should have "_total" suffix`},
		{"unparsable", "x{\n", "error while linting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			CheckMetrics(r, []byte(tc.exposition))
			if tc.problem == "" && r.failed != "" {
				t.Errorf("failed a clean exposition: %s", r.failed)
			}
			if tc.problem != "" && !strings.Contains(r.failed, tc.problem) {
				t.Errorf("failure %q, want one that quotes promtool's %q", r.failed, tc.problem)
			}
		})
	}
}

func TestCheckGatherer(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "promtest_level", Help: "Level."}))
	got := string(CheckGatherer(t, reg))
	if !strings.Contains(got, "promtest_level 0") {
		t.Errorf("exposition checked:\n%s\nwant promtest_level 0 in it", got)
	}
}
