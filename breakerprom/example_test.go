package breakerprom_test

import (
	"errors"
	"os"

	"github.com/breakergen/breakergen/breakerprom"
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Register a coordinator's Set of per-agent breakers once; agents that
// appear later are scraped without any further call.
func ExampleCollector() {
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithFailureThreshold(1)))
	c := breakerprom.NewCollector()
	c.AddSet(agents)
	reg := prometheus.NewRegistry() // or prometheus.MustRegister(c)
	reg.MustRegister(c)
	// Serve it: http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	runtime.Do(agents.Get("alpha"), func() (int, error) { return 1, nil })
	runtime.Do(agents.Get("bravo"), func() (int, error) { return 0, errors.New("timeout") })

	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "breaker_state" {
			mf.Help = nil
			expfmt.MetricFamilyToText(os.Stdout, mf)
		}
	}
	// Output:
	// # TYPE breaker_state gauge
	// breaker_state{breaker="agents/alpha",state="closed"} 1
	// breaker_state{breaker="agents/alpha",state="forced_open"} 0
	// breaker_state{breaker="agents/alpha",state="half-open"} 0
	// breaker_state{breaker="agents/alpha",state="open"} 0
	// breaker_state{breaker="agents/bravo",state="closed"} 0
	// breaker_state{breaker="agents/bravo",state="forced_open"} 0
	// breaker_state{breaker="agents/bravo",state="half-open"} 0
	// breaker_state{breaker="agents/bravo",state="open"} 1
}
