package breakerprom

import (
	"github.com/breakergen/breakergen/internal/metricname"
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// maxSamples is the most series a breaker has: 4 states, shadow mode, 5
// outcomes, slow calls, 6 transitions, 2 ratios and their 2 thresholds,
// the window's calls, consecutive failures and their threshold, the retry
// time, the cooldown, probes in flight and the degraded time.
const maxSamples = nStates + 1 + 1 + metricname.NumOutcomes + 1 + nStates*(nStates-1) + 4 + 1 + 2 + 4

const nStates = len(metricname.States)

// A batch is the samples of one breaker at one scrape, made in one
// allocation.
type batch struct {
	samples []sample
	l       *labels
}

func (b *batch) gauge(d *prometheus.Desc, labels []*dto.LabelPair, v float64) {
	b.samples = append(b.samples, sample{desc: d, labels: labels, value: v})
}

func (b *batch) counter(d *prometheus.Desc, labels []*dto.LabelPair, v uint64) {
	b.samples = append(b.samples, sample{desc: d, labels: labels, value: float64(v), created: b.l.created, counter: true})
}

// collect sends the metrics of one breaker, of configuration cfg, whose
// label pairs are l.
func collect(ch chan<- prometheus.Metric, s *runtime.Stats, cfg *runtime.Config, l *labels) {
	b := &batch{samples: make([]sample, 0, maxSamples), l: l}
	b.state(s, cfg)
	b.calls(s, cfg)
	b.nearTrip(s, cfg)
	b.gauge(retryDesc, l.breaker, s.RetryAfter.Seconds())
	b.gauge(cooldownDesc, l.breaker, s.Cooldown.Seconds())
	b.gauge(probesDesc, l.breaker, float64(s.ProbesInFlight))
	degraded := 0.0
	if !s.DegradedSince.IsZero() {
		degraded = float64(s.DegradedSince.UnixNano()) / 1e9
	}
	b.gauge(degradedDesc, l.breaker, degraded)
	for i := range b.samples {
		ch <- &b.samples[i]
	}
}

// state adds breaker_state, one-hot, and breaker_shadow.
func (b *batch) state(s *runtime.Stats, cfg *runtime.Config) {
	for i, st := range metricname.States {
		b.gauge(stateDesc, b.l.states[i], oneHot(s.State == st && !s.Forced))
	}
	b.gauge(stateDesc, b.l.states[metricname.ForcedOpen], oneHot(s.Forced))
	b.gauge(shadowDesc, b.l.breaker, oneHot(cfg.Shadow))
}

// calls adds the counters: calls by outcome, slow calls, transitions.
func (b *batch) calls(s *runtime.Stats, cfg *runtime.Config) {
	l := b.l
	for o, n := range metricname.Calls(s, cfg.Shadow) {
		if o != metricname.ShadowRejected || cfg.Shadow {
			b.counter(callsDesc, l.outcomes[o], n)
		}
	}
	b.counter(slowDesc, l.breaker, s.TotalSlow)
	for _, from := range metricname.States {
		for _, to := range metricname.States {
			n := s.TransitionCounts[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				b.counter(transitionsDesc, l.pairs[from][to], n)
			}
		}
	}
}

// nearTrip adds what shows a closed circuit getting close to opening: the
// consecutive failures and the window's shares, each with the threshold
// that opens the circuit, for the rules the breaker has.
func (b *batch) nearTrip(s *runtime.Stats, cfg *runtime.Config) {
	l := b.l
	b.gauge(consecutiveDesc, l.breaker, float64(s.ConsecutiveFailures))
	if cfg.FailureThreshold > 0 {
		b.gauge(consecutiveThresholdDesc, l.breaker, float64(cfg.FailureThreshold))
	}
	if cfg.FailureRate > 0 {
		b.gauge(windowCallsDesc, l.breaker, float64(s.WindowCalls))
		b.gauge(failureRatioDesc, l.breaker, s.FailureRate)
		b.gauge(failureRatioThresholdDesc, l.breaker, cfg.FailureRate)
	}
	if cfg.SlowRate > 0 {
		b.gauge(slowRatioDesc, l.breaker, s.SlowRate)
		b.gauge(slowRatioThresholdDesc, l.breaker, cfg.SlowRate)
	}
}

func oneHot(on bool) float64 {
	if on {
		return 1
	}
	return 0
}
