// Package breakerotel exports breakergen circuit breakers as OpenTelemetry
// metrics, through the metric API only: the application chooses the SDK and
// exporter. Metrics registers observable instruments with one callback that
// reads the breakers' Stats when the SDK collects, so no call pays anything
// for the metrics.
//
//	m, err := breakerotel.NewMetrics(otel.Meter("coordinator"))
//	if err != nil {
//		return err
//	}
//	defer m.Unregister()
//	m.AddSet(agents) // breakers the Set creates later appear by themselves
//	m.Add(billing)   // a single *runtime.Breaker
//
// The instruments have the names of the Prometheus adapter (breakerprom)
// with dots, and units that an OpenTelemetry-to-Prometheus exporter turns
// back into the same names:
//
//	breaker.state           gauge {breaker, state}: 1 for the current state (closed, open, half-open),
//	                        0 for the others; state="shadow" is 1 for a breaker in shadow mode
//	breaker.calls           counter {breaker, outcome}: success, failure, ignored, rejected;
//	                        shadow_rejected for a breaker in shadow mode
//	breaker.slow_calls      counter {breaker}
//	breaker.transitions     counter {breaker, from, to}
//	breaker.failure_rate    gauge {breaker}, with WithFailureRate
//	breaker.slow_call_rate  gauge {breaker}, with WithSlowCalls
//	breaker.retry_after     gauge {breaker}, in seconds
//	breaker.duplicate_names_skipped  gauge, while breakers share a name: those not observed
//
// Every breaker is an attribute value, so the number of series is bounded
// by the breakers registered, about 14 each.
package breakerotel
