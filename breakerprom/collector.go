package breakerprom

import (
	"slices"
	"sync"

	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

// A Collector is a prometheus.Collector of circuit breakers: single
// breakers (Add) and every breaker of a Set (AddSet), read when scraped.
// It is safe for concurrent use, including Add and AddSet during a scrape.
type Collector struct {
	mu       sync.RWMutex
	breakers []*runtime.Breaker
	single   map[*runtime.Breaker]bool
	sets     []*runtime.Set
}

// NewCollector returns a Collector with no breakers. Register it with a
// prometheus.Registerer.
func NewCollector() *Collector {
	return &Collector{single: map[*runtime.Breaker]bool{}}
}

// Add exports single breakers. A breaker added twice, or also in an added
// Set, is exported once. Two different breakers of the same name make the
// scrape fail, as any duplicate series does.
func (c *Collector) Add(breakers ...*runtime.Breaker) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range breakers {
		if !c.single[b] {
			c.single[b] = true
			c.breakers = append(c.breakers, b)
		}
	}
}

// AddSet exports every breaker of each Set, as the Set holds them at each
// scrape: breakers it creates later appear, and removed or evicted ones
// disappear.
func (c *Collector) AddSet(sets ...*runtime.Set) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range sets {
		if !slices.Contains(c.sets, s) {
			c.sets = append(c.sets, s)
		}
	}
}

// Describe sends the descriptions of every metric the Collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descs {
		ch <- d
	}
}

// Collect reads the Stats of every breaker and sends its metrics.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, b := range c.breakers {
		collect(ch, b.Stats())
	}
	for _, s := range c.sets {
		for _, b := range s.All() {
			if !c.single[b] {
				collect(ch, b.Stats())
			}
		}
	}
}
