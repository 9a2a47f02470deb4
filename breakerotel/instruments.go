package breakerotel

import (
	"errors"

	"go.opentelemetry.io/otel/metric"
)

// instruments are the observable instruments of Metrics. Their names are
// breakerprom's with dots, and their units make an OpenTelemetry-to-
// Prometheus exporter give back breakerprom's names: "s" adds _seconds,
// "1" on a gauge adds _ratio unless the name ends in ratio already, a
// counter gets _total, and a unit in braces adds nothing. The ratio
// thresholds have no unit for that reason: with "1",
// breaker.failure_ratio_threshold would become
// breaker_failure_threshold_ratio.
type instruments struct {
	state, shadow, calls, slow, transitions metric.Int64Observable
	failureRatio, slowRatio, retry          metric.Float64Observable

	consecutive, consecutiveThreshold, windowCalls, probes metric.Int64Observable
	failureRatioThreshold, slowRatioThreshold              metric.Float64Observable
	cooldown, degraded                                     metric.Float64Observable

	duplicates metric.Int64Observable
}

// create makes the instruments on meter and returns them all, for the
// callback's registration.
func (in *instruments) create(meter metric.Meter) ([]metric.Observable, error) {
	var (
		all  []metric.Observable
		errs []error
	)
	intGauge := func(name, unit, desc string) metric.Int64Observable {
		g, err := meter.Int64ObservableGauge(name, metric.WithUnit(unit), metric.WithDescription(desc))
		all, errs = append(all, g), append(errs, err)
		return g
	}
	floatGauge := func(name, unit, desc string) metric.Float64Observable {
		g, err := meter.Float64ObservableGauge(name, metric.WithUnit(unit), metric.WithDescription(desc))
		all, errs = append(all, g), append(errs, err)
		return g
	}
	counter := func(name, unit, desc string) metric.Int64Observable {
		c, err := meter.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		all, errs = append(all, c), append(errs, err)
		return c
	}

	in.state = intGauge("breaker.state", "",
		"State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open, forced_open: held open by ForceOpen), 0 for the others.")
	in.shadow = intGauge("breaker.shadow", "",
		"1 for a circuit breaker in shadow mode, which rejects nothing: its state is the one it would enforce; 0 otherwise.")
	in.calls = counter("breaker.calls", "{call}",
		"Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode.")
	in.slow = counter("breaker.slow_calls", "{call}",
		"Successful calls slower than the breaker's slow-call limit; they count as successes too.")
	in.transitions = counter("breaker.transitions", "{transition}",
		"State changes of the circuit breaker.")
	in.failureRatio = floatGauge("breaker.failure_ratio", "1",
		"Share of the calls in the breaker's rate window that failed, from 0 to 1.")
	in.slowRatio = floatGauge("breaker.slow_call_ratio", "1",
		"Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1.")
	in.failureRatioThreshold = floatGauge("breaker.failure_ratio_threshold", "",
		"The failure share of the window at which the circuit opens (WithFailureRate), from 0 to 1.")
	in.slowRatioThreshold = floatGauge("breaker.slow_call_ratio_threshold", "",
		"The slow share of the window at which the circuit opens (WithSlowCalls), from 0 to 1.")
	in.windowCalls = intGauge("breaker.window_calls", "{call}",
		"Successes and failures in the breaker's rate window (WithFailureRate).")
	in.consecutive = intGauge("breaker.consecutive_failures", "{failure}",
		"Failures in a row since the last success.")
	in.consecutiveThreshold = intGauge("breaker.consecutive_failures_threshold", "{failure}",
		"The consecutive failures at which the circuit opens (WithFailureThreshold).")
	in.retry = floatGauge("breaker.retry_after", "s",
		"Time until the open circuit admits a probe; 0 unless open.")
	in.cooldown = floatGauge("breaker.cooldown", "s",
		"The cooldown of the latest opening, which WithBackoff lengthens; WithCooldown's if the circuit has not opened since it last closed.")
	in.probes = intGauge("breaker.probes_in_flight", "{probe}",
		"Probes the half-open circuit let through that have not reported yet.")
	in.degraded = floatGauge("breaker.degraded_since_timestamp", "s",
		"With runtime/shared: when the Store started failing, in seconds since the Unix epoch, while the breaker works locally; 0 otherwise.")
	in.duplicates = intGauge("breaker.duplicate_names_skipped", "{breaker}",
		"Breakers not observed at this collection because another breaker of the same name was: a Set's current breaker wins over a single one.")
	return all, errors.Join(errs...)
}
