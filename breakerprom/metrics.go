package breakerprom

import (
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

var (
	stateDesc = prometheus.NewDesc("breaker_state",
		"State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open); state=\"shadow\" is 1 for a breaker in shadow mode, which rejects nothing.",
		[]string{"breaker", "state"}, nil)
	callsDesc = prometheus.NewDesc("breaker_calls_total",
		"Calls guarded by the circuit breaker, by outcome: success, failure, ignored, rejected; shadow_rejected for a breaker in shadow mode.",
		[]string{"breaker", "outcome"}, nil)
	slowDesc = prometheus.NewDesc("breaker_slow_calls_total",
		"Successful calls slower than the breaker's slow-call limit; they count as successes too.",
		[]string{"breaker"}, nil)
	transitionsDesc = prometheus.NewDesc("breaker_transitions_total",
		"State changes of the circuit breaker.",
		[]string{"breaker", "from", "to"}, nil)
	failureRateDesc = prometheus.NewDesc("breaker_failure_rate",
		"Share of the calls in the breaker's rate window that failed, from 0 to 1.",
		[]string{"breaker"}, nil)
	slowRateDesc = prometheus.NewDesc("breaker_slow_call_rate",
		"Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1.",
		[]string{"breaker"}, nil)
	retryDesc = prometheus.NewDesc("breaker_retry_after_seconds",
		"Time until the open circuit admits a probe; 0 unless open.",
		[]string{"breaker"}, nil)

	descs = []*prometheus.Desc{stateDesc, callsDesc, slowDesc, transitionsDesc, failureRateDesc, slowRateDesc, retryDesc}
)

var states = []runtime.State{runtime.Closed, runtime.Open, runtime.HalfOpen}

// collect sends the metrics of one breaker.
func collect(ch chan<- prometheus.Metric, s runtime.Stats) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, st := range states {
		gauge(stateDesc, oneHot(s.State == st), s.Name, st.String())
	}
	if s.Shadow {
		gauge(stateDesc, 1, s.Name, "shadow")
	}
	counter(callsDesc, s.TotalSuccesses, s.Name, "success")
	counter(callsDesc, s.TotalFailures, s.Name, "failure")
	counter(callsDesc, s.TotalIgnored, s.Name, "ignored")
	counter(callsDesc, s.TotalRejected, s.Name, "rejected")
	if s.Shadow {
		counter(callsDesc, s.TotalShadowRejected, s.Name, "shadow_rejected")
	}
	counter(slowDesc, s.TotalSlow, s.Name)
	for _, from := range states {
		for _, to := range states {
			n := s.TransitionCounts[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				counter(transitionsDesc, n, s.Name, from.String(), to.String())
			}
		}
	}
	if s.FailureRateThreshold > 0 {
		gauge(failureRateDesc, s.FailureRate, s.Name)
	}
	if s.SlowRateThreshold > 0 {
		gauge(slowRateDesc, s.SlowRate, s.Name)
	}
	gauge(retryDesc, s.RetryAfter.Seconds(), s.Name)
}

func oneHot(on bool) float64 {
	if on {
		return 1
	}
	return 0
}
