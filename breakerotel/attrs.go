package breakerotel

import (
	"math"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

var states = runtime.States()

// The values of the outcome attribute, in the order of attrs.outcomes.
const (
	success = iota
	failure
	ignore
	rejected
	shadowRejected
	numOutcomes
)

// outcomes are the outcome label's values: the runtime's Outcomes, then
// the rejections.
var outcomes = func() (names [numOutcomes]string) {
	for i, o := range runtime.Outcomes() {
		names[i] = o.String()
	}
	names[rejected], names[shadowRejected] = "rejected", "shadow_rejected"
	return names
}()

// attrs are the attribute sets of one breaker's data points, made when the
// breaker is first observed and reused by every later collection.
type attrs struct {
	breaker  metric.MeasurementOption
	states   [len(states)]metric.MeasurementOption
	outcomes [numOutcomes]metric.MeasurementOption
	pairs    [len(states)][len(states)]metric.MeasurementOption
}

func newAttrs(breaker string) *attrs {
	b := attribute.String("breaker", breaker)
	with := func(kvs ...attribute.KeyValue) metric.MeasurementOption {
		return metric.WithAttributeSet(attribute.NewSet(append([]attribute.KeyValue{b}, kvs...)...))
	}
	a := &attrs{breaker: with()}
	for i, s := range states {
		a.states[i] = with(attribute.String("state", s.String()))
	}
	for i, o := range outcomes {
		a.outcomes[i] = with(attribute.String("outcome", o))
	}
	for _, from := range states {
		for _, to := range states {
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
	for i, st := range states {
		var on int64
		if s.State == st {
			on = 1
		}
		o.ObserveInt64(m.state, on, a.states[i])
	}
	if cfg.Shadow {
		o.ObserveInt64(m.shadow, 1, a.breaker)
	}
	if cfg.FailureRate > 0 {
		o.ObserveFloat64(m.failureRatio, s.FailureRate, a.breaker)
	}
	if cfg.SlowRate > 0 {
		o.ObserveFloat64(m.slowRatio, s.SlowRate, a.breaker)
	}
	o.ObserveFloat64(m.retry, s.RetryAfter.Seconds(), a.breaker)
}

// observeCounts records the counters c of one breaker name, whose
// attribute sets are a; shadowed says whether to record shadow_rejected.
func (m *Metrics) observeCounts(o metric.Observer, c *counts, shadowed bool, a *attrs) {
	count := func(inst metric.Int64Observable, v uint64, opt metric.MeasurementOption) {
		o.ObserveInt64(inst, int64(min(v, math.MaxInt64)), opt)
	}
	for i, n := range c.calls {
		if i != shadowRejected || shadowed {
			count(m.calls, n, a.outcomes[i])
		}
	}
	count(m.slow, c.slow, a.breaker)
	for _, from := range states {
		for _, to := range states {
			n := c.pairs[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				count(m.transitions, n, a.pairs[from][to])
			}
		}
	}
}
