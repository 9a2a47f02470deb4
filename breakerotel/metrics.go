package breakerotel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"go.opentelemetry.io/otel/metric"
)

// Metrics observes circuit breakers for an OpenTelemetry meter: single
// breakers (Add) and every breaker of a Set (AddSet), as the Set holds them
// at each collection, so breakers it creates later appear and removed or
// evicted ones disappear. A breaker added twice, or also in an added Set,
// is observed once; of two different breakers of the same name only the
// Set's current breaker (of single ones, the one added last) is observed,
// never their sum. A name's counters never go back: a breaker that takes
// the name of another one continues its counts (see the package doc). It
// is safe for concurrent use, including Add and AddSet during a
// collection. Add(nil) and AddSet(nil) panic at once, naming the call;
// Remove and RemoveSet take breakers and Sets out again.
type Metrics struct {
	runtime.Group

	mu         sync.Mutex                  // serializes collections, for what follows
	streams    map[string]*stream          // by breaker attribute
	byName     map[string]*runtime.Breaker // the breakers of a collection, by name
	collection uint64
	now        func() time.Time // the clock of retention

	state, shadow, calls, slow, transitions metric.Int64Observable
	failureRatio, slowRatio, retry          metric.Float64Observable
	duplicates                              metric.Int64Observable
	reg                                     metric.Registration
}

// NewMetrics creates the instruments on meter and registers the callback
// that observes them. Call Unregister to stop.
func NewMetrics(meter metric.Meter) (*Metrics, error) {
	m := &Metrics{streams: map[string]*stream{}, byName: map[string]*runtime.Breaker{}, now: time.Now}
	var errs [9]error
	m.state, errs[0] = meter.Int64ObservableGauge("breaker.state",
		metric.WithDescription("State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open), 0 for the others."))
	m.shadow, errs[1] = meter.Int64ObservableGauge("breaker.shadow",
		metric.WithDescription("1 for a circuit breaker in shadow mode, which rejects nothing: its state is the one it would enforce."))
	m.calls, errs[2] = meter.Int64ObservableCounter("breaker.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode."))
	m.slow, errs[3] = meter.Int64ObservableCounter("breaker.slow_calls", metric.WithUnit("{call}"),
		metric.WithDescription("Successful calls slower than the breaker's slow-call limit; they count as successes too."))
	m.transitions, errs[4] = meter.Int64ObservableCounter("breaker.transitions", metric.WithUnit("{transition}"),
		metric.WithDescription("State changes of the circuit breaker."))
	m.failureRatio, errs[5] = meter.Float64ObservableGauge("breaker.failure_ratio", metric.WithUnit("1"),
		metric.WithDescription("Share of the calls in the breaker's rate window that failed, from 0 to 1."))
	m.slowRatio, errs[6] = meter.Float64ObservableGauge("breaker.slow_call_ratio", metric.WithUnit("1"),
		metric.WithDescription("Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1."))
	m.retry, errs[7] = meter.Float64ObservableGauge("breaker.retry_after", metric.WithUnit("s"),
		metric.WithDescription("Time until the open circuit admits a probe; 0 unless open."))
	m.duplicates, errs[8] = meter.Int64ObservableGauge("breaker.duplicate_names_skipped", metric.WithUnit("{breaker}"),
		metric.WithDescription("Breakers not observed at this collection because another breaker of the same name was: a Set's current breaker wins over a single one."))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("breakerotel: create instruments: %w", err)
	}
	reg, err := meter.RegisterCallback(m.observe, m.state, m.shadow, m.calls, m.slow, m.transitions,
		m.failureRatio, m.slowRatio, m.retry, m.duplicates)
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

// observe is the callback: it reads the Stats of every breaker. Of
// breakers of the same name, the one Group.All yields last is observed (a
// Set's current breaker over a single one) and the others are counted in
// breaker.duplicate_names_skipped, which has a data point only while there
// are some. Each name has a stream, which makes its attribute sets once
// and keeps the name's counters going while breakers come and go.
//
// It observes every name even if ctx is done: the SDK aggregates what a
// callback observed either way, and a name missing from one collection
// would make a delta reader count its calls again when it comes back.
func (m *Metrics) observe(_ context.Context, o metric.Observer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.collection++
	now := m.now()
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
		st := m.streams[name]
		if st == nil {
			st = &stream{attrs: newAttrs(name)}
			m.streams[name] = st
		}
		s, cfg := b.Stats(), b.Config()
		c := st.observe(b, &s, m.collection, now)
		st.shadowed = st.shadowed || cfg.Shadow
		m.observeGauges(o, &s, &cfg, st.attrs)
		m.observeCounts(o, &c, st.shadowed, st.attrs)
	}
	for name, st := range m.streams {
		if st.seen == m.collection {
			continue
		}
		if c, ok := st.linger(now); ok {
			m.observeCounts(o, &c, st.shadowed, st.attrs)
		} else {
			delete(m.streams, name)
		}
	}
	return nil
}
