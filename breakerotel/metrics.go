package breakerotel

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/breakergen/breakergen/internal/group"
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
	breakers group.Group

	mu         sync.Mutex                  // serializes collections, for what follows
	streams    map[string]*stream          // by breaker attribute
	byName     map[string]*runtime.Breaker // the breakers of a collection, by name
	collection uint64
	now        func() time.Time // the clock of retention

	instruments
	reg metric.Registration
}

// NewMetrics creates the instruments on meter and registers the callback
// that observes them. Call Unregister to stop.
func NewMetrics(meter metric.Meter) (*Metrics, error) {
	m := &Metrics{streams: map[string]*stream{}, byName: map[string]*runtime.Breaker{}, now: time.Now}
	all, err := m.create(meter)
	if err != nil {
		return nil, fmt.Errorf("breakerotel: create instruments: %w", err)
	}
	reg, err := meter.RegisterCallback(m.observe, all...)
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
// breakers of the same name, the one Add and AddSet give last is observed (a
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
	for b := range m.breakers.All() {
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
		c := st.observe(b, &s, &cfg, m.collection, now)
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

// Add adds single breakers. A breaker added twice, or also in an added Set,
// is seen once. Add(nil) panics, naming the call, and adds none of the
// breakers.
func (m *Metrics) Add(breakers ...*runtime.Breaker) {
	m.breakers.Add("breakerotel: Metrics.Add", breakers...)
}

// AddSet adds every breaker of each Set, now and later. AddSet(nil) panics,
// naming the call, and adds none of the Sets.
func (m *Metrics) AddSet(sets ...*runtime.Set) {
	m.breakers.AddSet("breakerotel: Metrics.AddSet", sets...)
}

// Remove removes single breakers added with Add; a breaker also in an added
// Set is still seen through the Set.
func (m *Metrics) Remove(breakers ...*runtime.Breaker) {
	m.breakers.Remove(breakers...)
}

// RemoveSet removes Sets added with AddSet.
func (m *Metrics) RemoveSet(sets ...*runtime.Set) {
	m.breakers.RemoveSet(sets...)
}
