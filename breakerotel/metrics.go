package breakerotel

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Metrics observes circuit breakers, single ones (Add) and every breaker
// of a Set (AddSet), for an OpenTelemetry meter. It is safe for concurrent
// use, including Add and AddSet during a collection.
type Metrics struct {
	mu       sync.RWMutex
	breakers []*runtime.Breaker
	single   map[*runtime.Breaker]bool
	sets     []*runtime.Set

	state, calls, slow, transitions metric.Int64Observable
	failureRate, slowRate, retry    metric.Float64Observable
	reg                             metric.Registration
}

// NewMetrics creates the instruments on meter and registers the callback
// that observes them. Call Unregister to stop.
func NewMetrics(meter metric.Meter) (*Metrics, error) {
	m := &Metrics{single: map[*runtime.Breaker]bool{}}
	var errs [7]error
	m.state, errs[0] = meter.Int64ObservableGauge("breaker.state",
		metric.WithDescription(`State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open); state="shadow" is 1 for a breaker in shadow mode, which rejects nothing.`))
	m.calls, errs[1] = meter.Int64ObservableCounter("breaker.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls guarded by the circuit breaker, by outcome: success, failure, ignored, rejected; shadow_rejected for a breaker in shadow mode."))
	m.slow, errs[2] = meter.Int64ObservableCounter("breaker.slow_calls", metric.WithUnit("{call}"),
		metric.WithDescription("Successful calls slower than the breaker's slow-call limit; they count as successes too."))
	m.transitions, errs[3] = meter.Int64ObservableCounter("breaker.transitions", metric.WithUnit("{transition}"),
		metric.WithDescription("State changes of the circuit breaker."))
	m.failureRate, errs[4] = meter.Float64ObservableGauge("breaker.failure_rate",
		metric.WithDescription("Share of the calls in the breaker's rate window that failed, from 0 to 1."))
	m.slowRate, errs[5] = meter.Float64ObservableGauge("breaker.slow_call_rate",
		metric.WithDescription("Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1."))
	m.retry, errs[6] = meter.Float64ObservableGauge("breaker.retry_after", metric.WithUnit("s"),
		metric.WithDescription("Time until the open circuit admits a probe; 0 unless open."))
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("breakerotel: create instruments: %w", err)
		}
	}
	reg, err := meter.RegisterCallback(m.observe, m.state, m.calls, m.slow, m.transitions, m.failureRate, m.slowRate, m.retry)
	if err != nil {
		return nil, fmt.Errorf("breakerotel: register the callback: %w", err)
	}
	m.reg = reg
	return m, nil
}

// Unregister stops the observations.
func (m *Metrics) Unregister() error {
	if err := m.reg.Unregister(); err != nil {
		return fmt.Errorf("breakerotel: unregister: %w", err)
	}
	return nil
}

// Add observes single breakers. A breaker added twice, or also in an added
// Set, is observed once.
func (m *Metrics) Add(breakers ...*runtime.Breaker) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, b := range breakers {
		if !m.single[b] {
			m.single[b] = true
			m.breakers = append(m.breakers, b)
		}
	}
}

// AddSet observes every breaker of each Set, as the Set holds them at each
// collection: breakers it creates later appear, and removed or evicted ones
// disappear.
func (m *Metrics) AddSet(sets ...*runtime.Set) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range sets {
		if !slices.Contains(m.sets, s) {
			m.sets = append(m.sets, s)
		}
	}
}

// observe is the callback: it reads the Stats of every breaker.
func (m *Metrics) observe(ctx context.Context, o metric.Observer) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, b := range m.breakers {
		m.observeOne(o, b.Stats())
	}
	for _, s := range m.sets {
		for _, b := range s.All() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !m.single[b] {
				m.observeOne(o, b.Stats())
			}
		}
	}
	return nil
}

var states = []runtime.State{runtime.Closed, runtime.Open, runtime.HalfOpen}

// Attribute keys.
const (
	keyBreaker = attribute.Key("breaker")
	keyState   = attribute.Key("state")
	keyOutcome = attribute.Key("outcome")
	keyFrom    = attribute.Key("from")
	keyTo      = attribute.Key("to")
)

// observeOne records the measurements of one breaker.
func (m *Metrics) observeOne(o metric.Observer, s runtime.Stats) {
	name := keyBreaker.String(s.Name)
	count := func(inst metric.Int64Observable, v uint64, attrs ...attribute.KeyValue) {
		o.ObserveInt64(inst, int64(min(v, math.MaxInt64)), metric.WithAttributes(attrs...))
	}
	for _, st := range states {
		var on int64
		if s.State == st {
			on = 1
		}
		o.ObserveInt64(m.state, on, metric.WithAttributes(name, keyState.String(st.String())))
	}
	if s.Shadow {
		o.ObserveInt64(m.state, 1, metric.WithAttributes(name, keyState.String("shadow")))
	}
	count(m.calls, s.TotalSuccesses, name, keyOutcome.String("success"))
	count(m.calls, s.TotalFailures, name, keyOutcome.String("failure"))
	count(m.calls, s.TotalIgnored, name, keyOutcome.String("ignored"))
	count(m.calls, s.TotalRejected, name, keyOutcome.String("rejected"))
	if s.Shadow {
		count(m.calls, s.TotalShadowRejected, name, keyOutcome.String("shadow_rejected"))
	}
	count(m.slow, s.TotalSlow, name)
	for _, from := range states {
		for _, to := range states {
			n := s.TransitionCounts[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				count(m.transitions, n, name, keyFrom.String(from.String()), keyTo.String(to.String()))
			}
		}
	}
	if s.FailureRateThreshold > 0 {
		o.ObserveFloat64(m.failureRate, s.FailureRate, metric.WithAttributes(name))
	}
	if s.SlowRateThreshold > 0 {
		o.ObserveFloat64(m.slowRate, s.SlowRate, metric.WithAttributes(name))
	}
	o.ObserveFloat64(m.retry, s.RetryAfter.Seconds(), metric.WithAttributes(name))
}
