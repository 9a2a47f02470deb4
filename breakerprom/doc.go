// Package breakerprom exports breakergen circuit breakers as Prometheus
// metrics. A Collector reads the breakers' Stats when it is scraped, so no
// call pays anything for the metrics: the closed-state path of a breaker
// registered with a Collector is the same as that of one that is not.
//
//	agents := runtime.NewSet("agents")
//	c := breakerprom.NewCollector()
//	c.AddSet(agents) // breakers the Set creates later appear by themselves
//	c.Add(billing)   // a single *runtime.Breaker
//	prometheus.MustRegister(c)
//
// Every breaker is labeled breaker="<its name>" (see LabelName: invalid
// UTF-8 is replaced by U+FFFD, and an empty name is "(unnamed)"), so the
// number of series is bounded by the breakers registered, about 21 each
// (see README.md of this module, Observability): a Set with one breaker
// per agent adds one breaker's series per agent, and WithIdleEviction
// removes them again.
//
// The metrics:
//
//	breaker_state{breaker,state}                one-hot gauge: closed, open, half-open, forced_open
//	breaker_shadow{breaker}                     1 for a breaker in shadow mode, 0 otherwise
//	breaker_calls_total{breaker,outcome}        success, failure, ignore, rejected;
//	                                            shadow_rejected for a breaker in shadow mode
//	breaker_slow_calls_total{breaker}           successes slower than WithSlowCalls's limit
//	breaker_transitions_total{breaker,from,to}  state changes
//	breaker_consecutive_failures{breaker}       failures in a row, and with WithFailureThreshold
//	breaker_consecutive_failures_threshold      the number that opens the circuit
//	breaker_window_calls{breaker}               with WithFailureRate: the calls in the window,
//	breaker_failure_ratio{breaker}              their failure share
//	breaker_failure_ratio_threshold{breaker}    and the share that opens the circuit
//	breaker_slow_call_ratio{breaker}            with WithSlowCalls: the slow share of the window
//	breaker_slow_call_ratio_threshold{breaker}  and the share that opens the circuit
//	breaker_retry_after_seconds{breaker}        time until an open circuit admits a probe
//	breaker_cooldown_seconds{breaker}           the cooldown of the latest opening
//	breaker_probes_in_flight{breaker}           probes of the half-open circuit not yet reported
//	breaker_degraded_since_timestamp_seconds    with runtime/shared: since when its Store fails; 0 if it works
//	breaker_duplicate_names_skipped             breakers not exported at a scrape because another
//	                                            of the same name was (a Set's current breaker wins)
//
// The counters carry their breaker's creation time (Stats.Created) as
// their created timestamp: OpenMetrics _created samples with
// promhttp.HandlerOpts.EnableOpenMetricsTextCreatedSamples, and the
// protobuf format's created_timestamp.
//
// README.md of this module gives PromQL queries for dashboards and alerts
// (open now, opened recently, rejecting, close to opening, degraded
// replicas); TestREADMEQueries
// runs each of them on a real Prometheus.
package breakerprom
