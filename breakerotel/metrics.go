package breakerotel

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Metrics observes circuit breakers for an OpenTelemetry meter: single
// breakers (Add) and every breaker of a Set (AddSet), as the Set holds them
// at each collection, so breakers it creates later appear and removed or
// evicted ones disappear. A breaker added twice, or also in an added Set,
// is observed once; of two different breakers of the same name only the
// Set's current breaker (of single ones, the one added last) is observed,
// never their sum. It is safe for concurrent use, including Add and
// AddSet during a collection. Add(nil) and AddSet(nil) panic at once,
// naming the call; Remove and RemoveSet take breakers and Sets out again.
type Metrics struct {
	runtime.Group

	mu         sync.Mutex // serializes collections, for attrs
	attrs      map[*runtime.Breaker]*attrs
	byName     map[string]*runtime.Breaker // the breakers of a collection, by name
	collection uint64

	state, calls, slow, transitions metric.Int64Observable
	failureRate, slowRate, retry    metric.Float64Observable
	duplicates                      metric.Int64Observable
	reg                             metric.Registration
}

// NewMetrics creates the instruments on meter and registers the callback
// that observes them. Call Unregister to stop.
func NewMetrics(meter metric.Meter) (*Metrics, error) {
	m := &Metrics{attrs: map[*runtime.Breaker]*attrs{}, byName: map[string]*runtime.Breaker{}}
	var errs [8]error
	m.state, errs[0] = meter.Int64ObservableGauge("breaker.state",
		metric.WithDescription(`State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open); state="shadow" is 1 for a breaker in shadow mode, which rejects nothing.`))
	m.calls, errs[1] = meter.Int64ObservableCounter("breaker.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode."))
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
	m.duplicates, errs[7] = meter.Int64ObservableGauge("breaker.duplicate_names_skipped", metric.WithUnit("{breaker}"),
		metric.WithDescription("Breakers not observed at this collection because another breaker of the same name was: a Set's current breaker wins over a single one."))
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("breakerotel: create instruments: %w", err)
		}
	}
	reg, err := meter.RegisterCallback(m.observe, m.state, m.calls, m.slow, m.transitions, m.failureRate, m.slowRate, m.retry, m.duplicates)
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

// observe is the callback: it reads the Stats of every breaker. It makes
// each breaker's attribute sets once, and forgets them when a collection
// no longer sees the breaker. Of breakers of the same name, the one
// Group.All yields last is observed (a Set's current breaker over a single
// one) and the others are counted in breaker.duplicate_names_skipped,
// which has a data point only while there are some.
func (m *Metrics) observe(ctx context.Context, o metric.Observer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.collection++
	skipped := int64(0)
	for b := range m.All() {
		name := LabelName(b.Name())
		if _, dup := m.byName[name]; dup {
			skipped++
		}
		m.byName[name] = b
	}
	defer clear(m.byName) // keeps its memory for the next collection
	if skipped > 0 {      // no data point while every name is unique
		o.ObserveInt64(m.duplicates, skipped)
	}
	for name, b := range m.byName {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := m.attrs[b]
		if a == nil {
			a = newAttrs(name)
			m.attrs[b] = a
		}
		a.seen = m.collection
		s, cfg := b.Stats(), b.Config()
		m.observeOne(o, &s, &cfg, a)
	}
	for b, a := range m.attrs {
		if a.seen != m.collection {
			delete(m.attrs, b)
		}
	}
	return nil
}

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
	states   [len(states) + 1]metric.MeasurementOption // the last is state="shadow"
	outcomes [numOutcomes]metric.MeasurementOption
	pairs    [len(states)][len(states)]metric.MeasurementOption
	seen     uint64 // the collection that last saw the breaker
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
	a.states[len(states)] = with(attribute.String("state", "shadow"))
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

// observeOne records the measurements of one breaker, of configuration
// cfg, whose attribute sets are a.
func (m *Metrics) observeOne(o metric.Observer, s *runtime.Stats, cfg *runtime.Config, a *attrs) {
	count := func(inst metric.Int64Observable, v uint64, opt metric.MeasurementOption) {
		o.ObserveInt64(inst, int64(min(v, math.MaxInt64)), opt)
	}
	for i, st := range states {
		var on int64
		if s.State == st {
			on = 1
		}
		o.ObserveInt64(m.state, on, a.states[i])
	}
	if cfg.Shadow {
		o.ObserveInt64(m.state, 1, a.states[len(states)])
	}
	count(m.calls, s.TotalSuccesses, a.outcomes[success])
	count(m.calls, s.TotalFailures, a.outcomes[failure])
	count(m.calls, s.TotalIgnored, a.outcomes[ignore])
	count(m.calls, s.TotalRejected, a.outcomes[rejected])
	if cfg.Shadow {
		count(m.calls, s.TotalShadowRejected, a.outcomes[shadowRejected])
	}
	count(m.slow, s.TotalSlow, a.breaker)
	for _, from := range states {
		for _, to := range states {
			n := s.TransitionCounts[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				count(m.transitions, n, a.pairs[from][to])
			}
		}
	}
	if cfg.FailureRate > 0 {
		o.ObserveFloat64(m.failureRate, s.FailureRate, a.breaker)
	}
	if cfg.SlowRate > 0 {
		o.ObserveFloat64(m.slowRate, s.SlowRate, a.breaker)
	}
	o.ObserveFloat64(m.retry, s.RetryAfter.Seconds(), a.breaker)
}

// Unnamed is the breaker attribute of a breaker whose name is empty.
const Unnamed = "(unnamed)"

// LabelName returns the breaker attribute of a breaker named name: the name,
// with each run of bytes that is not valid UTF-8 replaced by U+FFFD, as
// strings.ToValidUTF8 does, or Unnamed for an empty name. Two names that
// become the same label are duplicates (see Metrics).
func LabelName(name string) string {
	switch {
	case name == "":
		return Unnamed
	case !utf8.ValidString(name):
		return strings.ToValidUTF8(name, "\uFFFD")
	}
	return name
}
