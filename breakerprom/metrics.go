package breakerprom

import (
	"github.com/prometheus/client_golang/prometheus"
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, append([]string{"breaker"}, labels...), nil)
}

var (
	stateDesc = desc("breaker_state",
		"State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open, forced_open: held open by ForceOpen), 0 for the others.",
		"state")
	shadowDesc = desc("breaker_shadow",
		"1 for a breaker in shadow mode, which rejects nothing, 0 otherwise.")
	callsDesc = desc("breaker_calls_total",
		"Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode.",
		"outcome")
	slowDesc = desc("breaker_slow_calls_total",
		"Successful calls slower than the breaker's slow-call limit; they count as successes too.")
	transitionsDesc = desc("breaker_transitions_total",
		"State changes of the circuit breaker.",
		"from", "to")
	failureRatioDesc = desc("breaker_failure_ratio",
		"Share of the calls in the breaker's rate window that failed, from 0 to 1.")
	slowRatioDesc = desc("breaker_slow_call_ratio",
		"Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1.")
	failureRatioThresholdDesc = desc("breaker_failure_ratio_threshold",
		"The failure share of the window at which the circuit opens (WithFailureRate).")
	slowRatioThresholdDesc = desc("breaker_slow_call_ratio_threshold",
		"The slow share of the window at which the circuit opens (WithSlowCalls).")
	windowCallsDesc = desc("breaker_window_calls",
		"Successes and failures in the breaker's rate window (WithFailureRate).")
	consecutiveDesc = desc("breaker_consecutive_failures",
		"Failures in a row since the last success.")
	consecutiveThresholdDesc = desc("breaker_consecutive_failures_threshold",
		"The consecutive failures at which the circuit opens (WithFailureThreshold).")
	retryDesc = desc("breaker_retry_after_seconds",
		"Time until the open circuit admits a probe; 0 unless open.")
	cooldownDesc = desc("breaker_cooldown_seconds",
		"The cooldown of the latest opening, which WithBackoff lengthens; WithCooldown's if the circuit has not opened since it last closed.")
	probesDesc = desc("breaker_probes_in_flight",
		"Probes the half-open circuit let through that have not reported yet.")
	degradedDesc = desc("breaker_degraded_since_timestamp_seconds",
		"With runtime/shared: when the Store started failing, in Unix seconds, while the breaker works locally; 0 otherwise.")

	duplicatesDesc = prometheus.NewDesc("breaker_duplicate_names_skipped",
		"Breakers not exported at this scrape because another breaker of the same name was: a Set's current breaker wins over a single one.",
		nil, nil)

	descs = []*prometheus.Desc{
		stateDesc, shadowDesc, callsDesc, slowDesc, transitionsDesc,
		failureRatioDesc, slowRatioDesc, failureRatioThresholdDesc, slowRatioThresholdDesc, windowCallsDesc,
		consecutiveDesc, consecutiveThresholdDesc, retryDesc, cooldownDesc, probesDesc, degradedDesc,
		duplicatesDesc,
	}
)
