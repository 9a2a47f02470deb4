package breakerprom

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breakergen/breakergen/runtime"
	"github.com/breakergen/breakergen/runtime/breakertest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// serve starts a real HTTP server on 127.0.0.1 serving reg at /metrics and
// returns its URL; the server stops with the test.
func serve(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/metrics"
}

// scrape fetches url as Prometheus does and parses the text exposition.
func scrape(client *http.Client, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse the scrape of %s: %w", url, err)
	}
	return mfs, nil
}

// value returns the value of the series of family name whose labels are
// exactly labels, and whether there is one.
func value(mfs map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
next:
	for _, m := range mf.GetMetric() {
		if len(m.GetLabel()) != len(labels) {
			continue
		}
		for _, l := range m.GetLabel() {
			if labels[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		switch mf.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// TestScrapeOverHTTP serves a Set through promhttp on a real loopback
// server, scrapes it with an HTTP client and parses the text.
func TestScrapeOverHTTP(t *testing.T) {
	clk := newFakeClock()
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(breakertest.WithClock(clk.Now), runtime.WithFailureThreshold(1)))
	c := NewCollector()
	c.AddSet(agents)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	url := serve(t, reg)
	client := &http.Client{Timeout: 10 * time.Second}

	must(call(agents.Get("alpha"), clk, 0, nil), "a success")
	must(call(agents.Get("bravo"), clk, 0, errBoom), "the failure that opens bravo")
	must(!call(agents.Get("bravo"), clk, 0, nil), "a rejection")
	clk.Advance(12 * time.Second)
	mfs, err := scrape(client, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"breaker_state", map[string]string{"breaker": "agents/alpha", "state": "closed"}, 1},
		{"breaker_state", map[string]string{"breaker": "agents/bravo", "state": "open"}, 1},
		{"breaker_state", map[string]string{"breaker": "agents/bravo", "state": "closed"}, 0},
		{"breaker_calls_total", map[string]string{"breaker": "agents/alpha", "outcome": "success"}, 1},
		{"breaker_calls_total", map[string]string{"breaker": "agents/bravo", "outcome": "failure"}, 1},
		{"breaker_calls_total", map[string]string{"breaker": "agents/bravo", "outcome": "rejected"}, 1},
		{"breaker_transitions_total", map[string]string{"breaker": "agents/bravo", "from": "closed", "to": "open"}, 1},
		{"breaker_retry_after_seconds", map[string]string{"breaker": "agents/bravo"}, 18},
	} {
		got, ok := value(mfs, tc.name, tc.labels)
		if !ok || got != tc.want {
			t.Errorf("%s%v = %v (present %v), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	// An agent that joins after registration is in the next scrape.
	agents.Get("charlie")
	mfs, err = scrape(client, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := value(mfs, "breaker_state", map[string]string{"breaker": "agents/charlie", "state": "closed"}); !ok {
		t.Error("a breaker created after registration is not in the scrape")
	}
}

// TestConcurrentScrapes scrapes over HTTP while 100 goroutines make calls
// through a Set's breakers and single breakers, and an operator forces a
// breaker open and resets it; run with -race. Every scrape has breaker_state
// one-hot for every breaker; after the calls, a scrape accounts for every
// one of them.
func TestConcurrentScrapes(t *testing.T) {
	agents := runtime.NewSet("agents", runtime.WithBreakerOptions(runtime.WithFailureThreshold(3), runtime.WithCooldown(time.Millisecond)))
	single := runtime.New("single")
	operated := runtime.New("operated")
	c := NewCollector()
	c.AddSet(agents)
	c.Add(single, operated)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	url := serve(t, reg)
	client := &http.Client{Timeout: 10 * time.Second}

	const goroutines, calls = 100, 200
	var done atomic.Bool
	var scrapes atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !done.Load() || scrapes.Load() < 4 {
				mfs, err := scrape(client, url)
				if err != nil {
					t.Error(err)
					return
				}
				checkOneHot(t, mfs)
				scrapes.Add(1)
			}
		})
	}
	wg.Go(func() {
		for !done.Load() || scrapes.Load() < 4 {
			operated.ForceOpen()
			operated.Reset()
		}
	})
	makeCalls(agents, single, goroutines, calls)
	done.Store(true)
	wg.Wait()
	mfs, err := scrape(client, url)
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, m := range mfs["breaker_calls_total"].GetMetric() {
		total += m.GetCounter().GetValue()
	}
	if total != goroutines*calls {
		t.Fatalf("breaker_calls_total adds up to %v, want %d", total, goroutines*calls)
	}
	if n := len(mfs["breaker_retry_after_seconds"].GetMetric()); n != 12 {
		t.Fatalf("%d breakers scraped, want 12", n)
	}
}

// checkOneHot checks that each breaker's breaker_state series add up to 1.
func checkOneHot(t *testing.T, mfs map[string]*dto.MetricFamily) {
	t.Helper()
	sums := map[string]float64{}
	for _, m := range mfs["breaker_state"].GetMetric() {
		sums[m.GetLabel()[0].GetValue()] += m.GetGauge().GetValue()
	}
	for b, sum := range sums {
		if sum != 1 {
			t.Errorf("breaker_state{breaker=%q} adds up to %v, want 1", b, sum)
		}
	}
}

// makeCalls makes calls through single and the breakers of agents from
// goroutines goroutines, and returns when all have made theirs; every
// fifth call fails.
func makeCalls(agents *runtime.Set, single *runtime.Breaker, goroutines, calls int) {
	var callers sync.WaitGroup
	for g := range goroutines {
		callers.Go(func() {
			for i := range calls {
				b := single
				if g%2 == 0 {
					b = agents.Get(fmt.Sprintf("agent-%d", (g+i)%10))
				}
				runtime.Do(b, func() (int, error) {
					if (g+i)%5 == 0 {
						return 0, errBoom
					}
					return 1, nil
				})
			}
		})
	}
	callers.Wait()
}
