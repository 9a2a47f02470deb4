package breakerprom

import (
	"fmt"
	"testing"

	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkScrape gathers the metrics of a Set of 1,000 breakers, as a
// scrape does before encoding, and reports the cost per breaker.
func BenchmarkScrape(b *testing.B) {
	const n = 1000
	agents := runtime.NewSet("agents")
	for i := range n {
		runtime.Do(agents.Get(fmt.Sprintf("agent-%d", i)), func() (int, error) { return 1, nil })
	}
	c := NewCollector()
	c.AddSet(agents)
	// collect: what the Collector itself costs, reading the breakers and
	// making the metrics.
	b.Run("collect", func(b *testing.B) {
		ch := make(chan prometheus.Metric, 64)
		done := make(chan int)
		go func() {
			m := 0
			for range ch {
				m++
			}
			done <- m
		}()
		b.ReportAllocs()
		for b.Loop() {
			c.Collect(ch)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/breaker")
		close(ch)
		// 21 series per breaker, and the collector's own count of
		// skipped duplicate names.
		if m, want := <-done, (21*n+1)*b.N; m != want {
			b.Fatalf("collected %d metrics, want %d", m, want)
		}
	})
	// gather: a whole scrape but for the encoding, as a registry does it:
	// collecting, checking and sorting.
	b.Run("gather", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		reg.MustRegister(c)
		b.ReportAllocs()
		for b.Loop() {
			mfs, err := reg.Gather()
			if err != nil || len(mfs) != 12 || len(mfs[0].GetMetric()) != 4*n {
				b.Fatalf("gathered %d families, err %v", len(mfs), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/breaker")
	})
}

var sink int

//go:noinline
func work(i int) (int, error) { return i, nil }

// guarded is the shape of a generated method.
func guarded(cb *runtime.Breaker, i int) (int, error) {
	p, err := cb.Allow()
	if err != nil {
		return 0, err
	}
	defer p.Release()
	v, err := work(i)
	p.Done(err)
	return v, err
}

// BenchmarkClosedPath compares the closed-state success path of a breaker
// that no collector knows with one registered and scraped.
func BenchmarkClosedPath(b *testing.B) {
	for _, registered := range []bool{false, true} {
		name := "unregistered"
		if registered {
			name = "registered"
		}
		b.Run(name, func(b *testing.B) {
			cb := runtime.New("bench")
			if registered {
				c := NewCollector()
				c.Add(cb)
				reg := prometheus.NewRegistry()
				reg.MustRegister(c)
				if _, err := reg.Gather(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v, err := guarded(cb, i)
				if err != nil {
					b.Fatal(err)
				}
				sink += v
			}
		})
	}
}
