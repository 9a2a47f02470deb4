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
// back into the same names: "s" adds _seconds, "1" on a gauge adds _ratio
// unless the name ends in ratio already, a counter gets _total, and a unit
// in braces adds nothing. The ratio thresholds have no unit for that
// reason: with "1" the exporter would name breaker.failure_ratio_threshold
// breaker_failure_threshold_ratio. The test of promparity, a module of its
// own in this directory, exports the same breakers with both adapters,
// this one through the exporter, and compares every series.
//
//	breaker.state            gauge {breaker, state}: 1 for the current state (closed, open, half-open,
//	                         forced_open: held open by ForceOpen, not also open), 0 for the others;
//	                         one state at 1 per breaker, in shadow mode too
//	breaker.shadow           gauge {breaker}: 1 for a breaker in shadow mode, which rejects nothing; 0 otherwise
//	breaker.calls            counter {breaker, outcome}, unit {call}: success, failure, ignore, rejected;
//	                         shadow_rejected for a breaker in shadow mode
//	breaker.slow_calls       counter {breaker}, unit {call}: successes slower than WithSlowCalls's limit
//	breaker.transitions      counter {breaker, from, to}, unit {transition}
//	breaker.consecutive_failures            gauge {breaker}, unit {failure}: failures in a row
//	breaker.consecutive_failures_threshold  gauge {breaker}, unit {failure}, with WithFailureThreshold:
//	                                        the number that opens the circuit
//	breaker.window_calls                    gauge {breaker}, unit {call}, with WithFailureRate: the
//	                                        calls in the window,
//	breaker.failure_ratio                   gauge {breaker}, unit 1: their failure share
//	breaker.failure_ratio_threshold         gauge {breaker}, no unit: and the share that opens the circuit
//	breaker.slow_call_ratio                 gauge {breaker}, unit 1, with WithSlowCalls: the slow share
//	breaker.slow_call_ratio_threshold       gauge {breaker}, no unit: and the share that opens the circuit
//	breaker.retry_after                     gauge {breaker}, unit s: time until an open circuit admits a probe
//	breaker.cooldown                        gauge {breaker}, unit s: the cooldown of the latest opening
//	breaker.probes_in_flight                gauge {breaker}, unit {probe}: probes of the half-open
//	                                        circuit not yet reported
//	breaker.degraded_since_timestamp        gauge {breaker}, unit s: with runtime/shared, since when its
//	                                        Store fails, in Unix seconds; 0 if it works
//	breaker.duplicate_names_skipped         gauge, unit {breaker}, while breakers share a name: those not observed
//
// Every breaker is an attribute value, so the number of series is bounded
// by the breakers registered, about 21 each (28 at most), and the names
// gone in the last 10 minutes (below), about 11 each.
//
// # When a breaker replaces another
//
// A name's counters never go back. When a breaker takes the name of
// another (a Set key removed or evicted and made again, a single breaker
// added in place of one of the same name), the name's counters go on from
// the counts the earlier breaker reached, read when a collection finds it
// replaced or gone: a cumulative stream never drops, and a delta reader
// never reports a negative value. A new stream is not an option: the SDK
// gives every point of an observable counter the same start time. Each
// breaker's calls count once: one that takes its name back (removed and
// added again, or a single breaker observed again after a Set's) goes on
// from its own counts, as long as it stayed in memory. Calls a breaker
// takes after a collection found it gone count only if it takes the name
// back.
//
// While no
// breaker holds a name, its counters stay at the counts they reached (a
// delta reader reports 0) for 10 minutes, which must be longer than every
// reader's collection interval; its gauges disappear at once. Then the
// name is forgotten, and a breaker that takes it later starts from 0: a
// delta reader reports its calls, and a cumulative reader a drop with the
// same start time, which backends read as a counter reset. A name kept so
// costs about 3.3 KB of heap, the SDK reader's buffer included
// (BenchmarkGoneNameMemory), so a Set that evicts 1,000 keys a minute
// keeps about 33 MB for names gone.
package breakerotel
