package breakerotel

import (
	"math"

	"github.com/breakergen/breakergen/internal/metricname"
	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// attrs are the attribute sets of one breaker's data points, made when the
// breaker is first observed and reused by every later collection.
type attrs struct {
	breaker  metric.MeasurementOption
	states   [len(metricname.States) + 1]metric.MeasurementOption // the last is state="forced_open"
	outcomes [metricname.NumOutcomes]metric.MeasurementOption
	pairs    [len(metricname.States)][len(metricname.States)]metric.MeasurementOption
}

func newAttrs(breaker string) *attrs {
	b := attribute.String("breaker", breaker)
	with := func(kvs ...attribute.KeyValue) metric.MeasurementOption {
		return metric.WithAttributeSet(attribute.NewSet(append([]attribute.KeyValue{b}, kvs...)...))
	}
	a := &attrs{breaker: with()}
	for i, s := range metricname.States {
		a.states[i] = with(attribute.String("state", s.String()))
	}
	a.states[metricname.ForcedOpen] = with(attribute.String("state", "forced_open"))
	for i, o := range metricname.Outcomes {
		a.outcomes[i] = with(attribute.String("outcome", o))
	}
	for _, from := range metricname.States {
		for _, to := range metricname.States {
			if from != to {
				a.pairs[from][to] = with(attribute.String("from", from.String()), attribute.String("to", to.String()))
			}
		}
	}
	return a
}

// observeGauges records the gauges of one breaker, of stats s and
// configuration cfg, whose attribute sets are a.
func (m *Metrics) observeGauges(o metric.Observer, s *runtime.Stats, cfg *runtime.Config, a *attrs) {
	for i, st := range metricname.States {
		o.ObserveInt64(m.state, oneHot(s.State == st && !s.Forced), a.states[i])
	}
	o.ObserveInt64(m.state, oneHot(s.Forced), a.states[metricname.ForcedOpen])
	o.ObserveInt64(m.shadow, oneHot(cfg.Shadow), a.breaker)
	m.observeNearTrip(o, s, cfg, a)
	o.ObserveFloat64(m.retry, s.RetryAfter.Seconds(), a.breaker)
	o.ObserveFloat64(m.cooldown, s.Cooldown.Seconds(), a.breaker)
	o.ObserveInt64(m.probes, int64(s.ProbesInFlight), a.breaker)
	degraded := 0.0
	if !s.DegradedSince.IsZero() {
		degraded = float64(s.DegradedSince.UnixNano()) / 1e9
	}
	o.ObserveFloat64(m.degraded, degraded, a.breaker)
}

// observeNearTrip records what shows a closed circuit getting close to
// opening: the consecutive failures and the window's shares, each with the
// threshold that opens the circuit, for the rules the breaker has.
func (m *Metrics) observeNearTrip(o metric.Observer, s *runtime.Stats, cfg *runtime.Config, a *attrs) {
	o.ObserveInt64(m.consecutive, int64(s.ConsecutiveFailures), a.breaker)
	if cfg.FailureThreshold > 0 {
		o.ObserveInt64(m.consecutiveThreshold, int64(cfg.FailureThreshold), a.breaker)
	}
	if cfg.FailureRate > 0 {
		o.ObserveInt64(m.windowCalls, int64(s.WindowCalls), a.breaker)
		o.ObserveFloat64(m.failureRatio, s.FailureRate, a.breaker)
		o.ObserveFloat64(m.failureRatioThreshold, cfg.FailureRate, a.breaker)
	}
	if cfg.SlowRate > 0 {
		o.ObserveFloat64(m.slowRatio, s.SlowRate, a.breaker)
		o.ObserveFloat64(m.slowRatioThreshold, cfg.SlowRate, a.breaker)
	}
}

func oneHot(on bool) int64 {
	if on {
		return 1
	}
	return 0
}

// observeCounts records the counters c of one breaker name, whose
// attribute sets are a; shadowed says whether to record shadow_rejected.
func (m *Metrics) observeCounts(o metric.Observer, c *counts, shadowed bool, a *attrs) {
	count := func(inst metric.Int64Observable, v uint64, opt metric.MeasurementOption) {
		o.ObserveInt64(inst, int64(min(v, math.MaxInt64)), opt)
	}
	for i, n := range c.calls {
		if i != metricname.ShadowRejected || shadowed {
			count(m.calls, n, a.outcomes[i])
		}
	}
	count(m.slow, c.slow, a.breaker)
	for _, from := range metricname.States {
		for _, to := range metricname.States {
			n := c.pairs[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				count(m.transitions, n, a.pairs[from][to])
			}
		}
	}
}
