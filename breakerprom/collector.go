package breakerprom

import (
	"sync"

	"github.com/breakergen/breakergen/internal/group"
	"github.com/breakergen/breakergen/internal/metricname"
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

// A Collector is a prometheus.Collector of circuit breakers, read when
// scraped: single breakers (Add) and every breaker of a Set (AddSet), as
// the Set holds them at each scrape, so breakers it creates later appear
// and removed or evicted ones disappear. A breaker added twice, or also in
// an added Set, is exported once; of two different breakers of the same
// name one is exported (see Collect), so a duplicate never fails the scrape. It is safe for
// concurrent use, including Add and AddSet during a scrape. Add(nil) and
// AddSet(nil) panic at once, as prometheus.MustRegister does with a bad
// collector; Remove and RemoveSet take breakers and Sets out again.
type Collector struct {
	breakers group.Group

	mu     sync.Mutex // serializes scrapes, for labels
	labels map[*runtime.Breaker]*labels
	byName map[string]*runtime.Breaker // the breakers of a scrape, by name
	scrape uint64
}

// NewCollector returns a Collector with no breakers, as the zero Collector
// is. Register it with a prometheus.Registerer.
func NewCollector() *Collector {
	return &Collector{labels: map[*runtime.Breaker]*labels{}}
}

// Describe sends the descriptions of every metric the Collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descs {
		ch <- d
	}
}

// Collect reads the Stats of every breaker and sends its metrics. It makes
// each breaker's label pairs once, and forgets them when a scrape no longer
// sees the breaker. Of breakers of the same name, the one Add and AddSet give
// last is exported (a Set's current breaker over a single one) and the
// others are counted in breaker_duplicate_names_skipped.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.labels == nil {
		c.labels = map[*runtime.Breaker]*labels{} // a zero Collector
	}
	if c.byName == nil {
		c.byName = map[string]*runtime.Breaker{}
	}
	c.scrape++
	skipped := 0
	for b := range c.breakers.All() {
		name := LabelName(b.Name())
		if _, dup := c.byName[name]; dup {
			skipped++
		}
		c.byName[name] = b
	}
	for name, b := range c.byName {
		s, cfg := b.Stats(), b.Config()
		l := c.labels[b]
		if l == nil {
			l = newLabels(name, s.Created)
			c.labels[b] = l
		}
		l.seen = c.scrape
		collect(ch, &s, &cfg, l)
	}
	clear(c.byName) // keeps its memory for the next scrape
	for b, l := range c.labels {
		if l.seen != c.scrape {
			delete(c.labels, b)
		}
	}
	ch <- prometheus.MustNewConstMetric(duplicatesDesc, prometheus.GaugeValue, float64(skipped))
}

// Unnamed is the breaker label of a breaker whose name is empty.
const Unnamed = metricname.Unnamed

// LabelName returns the breaker label of a breaker named name: the name,
// with each run of bytes that is not valid UTF-8 replaced by U+FFFD, as
// strings.ToValidUTF8 does, or Unnamed for an empty name. Two names that
// become the same label are duplicates (see Collector.Collect).
// breakerotel's LabelName gives the same label.
func LabelName(name string) string { return metricname.Label(name) }

// Add adds single breakers. A breaker added twice, or also in an added Set,
// is seen once. Add(nil) panics, naming the call, and adds none of the
// breakers.
func (c *Collector) Add(breakers ...*runtime.Breaker) {
	c.breakers.Add("breakerprom: Collector.Add", breakers...)
}

// AddSet adds every breaker of each Set, now and later. AddSet(nil) panics,
// naming the call, and adds none of the Sets.
func (c *Collector) AddSet(sets ...*runtime.Set) {
	c.breakers.AddSet("breakerprom: Collector.AddSet", sets...)
}

// Remove removes single breakers added with Add; a breaker also in an added
// Set is still seen through the Set.
func (c *Collector) Remove(breakers ...*runtime.Breaker) {
	c.breakers.Remove(breakers...)
}

// RemoveSet removes Sets added with AddSet.
func (c *Collector) RemoveSet(sets ...*runtime.Set) {
	c.breakers.RemoveSet(sets...)
}
