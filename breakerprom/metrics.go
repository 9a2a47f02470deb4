package breakerprom

import (
	"github.com/breakergen/breakergen/runtime"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

var (
	stateDesc = prometheus.NewDesc("breaker_state",
		"State of the circuit breaker, one-hot: 1 for the current state (closed, open, half-open); state=\"shadow\" is 1 for a breaker in shadow mode, which rejects nothing.",
		[]string{"breaker", "state"}, nil)
	callsDesc = prometheus.NewDesc("breaker_calls_total",
		"Calls guarded by the circuit breaker, by outcome: success, failure, ignore, rejected; shadow_rejected for a breaker in shadow mode.",
		[]string{"breaker", "outcome"}, nil)
	slowDesc = prometheus.NewDesc("breaker_slow_calls_total",
		"Successful calls slower than the breaker's slow-call limit; they count as successes too.",
		[]string{"breaker"}, nil)
	transitionsDesc = prometheus.NewDesc("breaker_transitions_total",
		"State changes of the circuit breaker.",
		[]string{"breaker", "from", "to"}, nil)
	failureRateDesc = prometheus.NewDesc("breaker_failure_rate",
		"Share of the calls in the breaker's rate window that failed, from 0 to 1.",
		[]string{"breaker"}, nil)
	slowRateDesc = prometheus.NewDesc("breaker_slow_call_rate",
		"Share of the calls in the breaker's rate window that succeeded slowly, from 0 to 1.",
		[]string{"breaker"}, nil)
	retryDesc = prometheus.NewDesc("breaker_retry_after_seconds",
		"Time until the open circuit admits a probe; 0 unless open.",
		[]string{"breaker"}, nil)

	duplicatesDesc = prometheus.NewDesc("breaker_duplicate_names_skipped",
		"Breakers not exported at this scrape because another breaker of the same name was: a Set's current breaker wins over a single one.",
		nil, nil)

	descs = []*prometheus.Desc{stateDesc, callsDesc, slowDesc, transitionsDesc, failureRateDesc, slowRateDesc, retryDesc, duplicatesDesc}
)

var states = runtime.States()

// The values of the outcome label, in the order of labels.outcomes.
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

// labels are the label pairs of one breaker's series, made when the
// breaker is first scraped and shared by every later scrape: a registry
// treats a metric's label pairs as immutable. Pairs are sorted by name,
// as the exposition needs them.
type labels struct {
	breaker  []*dto.LabelPair
	states   [len(states) + 1][]*dto.LabelPair // the last is state="shadow"
	outcomes [numOutcomes][]*dto.LabelPair
	pairs    [len(states)][len(states)][]*dto.LabelPair
	seen     uint64 // the scrape that last saw the breaker
}

func pair(name, value string) *dto.LabelPair { return &dto.LabelPair{Name: &name, Value: &value} }

func newLabels(breaker string) *labels {
	b := pair("breaker", breaker)
	l := &labels{breaker: []*dto.LabelPair{b}}
	for i, s := range states {
		l.states[i] = []*dto.LabelPair{b, pair("state", s.String())}
	}
	l.states[len(states)] = []*dto.LabelPair{b, pair("state", "shadow")}
	for i, o := range outcomes {
		l.outcomes[i] = []*dto.LabelPair{b, pair("outcome", o)}
	}
	for _, from := range states {
		for _, to := range states {
			if from != to {
				l.pairs[from][to] = []*dto.LabelPair{b, pair("from", from.String()), pair("to", to.String())}
			}
		}
	}
	return l
}

// A sample is one series' value at a scrape: a prometheus.Metric whose
// label pairs are a breaker's cached ones.
type sample struct {
	desc    *prometheus.Desc
	labels  []*dto.LabelPair
	value   float64
	counter bool
}

func (s *sample) Desc() *prometheus.Desc { return s.desc }

func (s *sample) Write(m *dto.Metric) error {
	m.Label = s.labels
	if s.counter {
		m.Counter = &dto.Counter{Value: &s.value}
	} else {
		m.Gauge = &dto.Gauge{Value: &s.value}
	}
	return nil
}

// maxSamples is the most series a breaker has: 4 states, 5 outcomes, slow
// calls, 6 transitions, 2 rates and the retry time.
const maxSamples = len(states) + 1 + numOutcomes + 1 + len(states)*(len(states)-1) + 3

// collect sends the metrics of one breaker, of configuration cfg, whose
// label pairs are l.
func collect(ch chan<- prometheus.Metric, s *runtime.Stats, cfg *runtime.Config, l *labels) {
	samples := make([]sample, 0, maxSamples) // one allocation for all of them
	add := func(d *prometheus.Desc, labels []*dto.LabelPair, v float64, counter bool) {
		samples = append(samples, sample{desc: d, labels: labels, value: v, counter: counter})
	}
	for i, st := range states {
		add(stateDesc, l.states[i], oneHot(s.State == st), false)
	}
	if cfg.Shadow {
		add(stateDesc, l.states[len(states)], 1, false)
	}
	add(callsDesc, l.outcomes[success], float64(s.TotalSuccesses), true)
	add(callsDesc, l.outcomes[failure], float64(s.TotalFailures), true)
	add(callsDesc, l.outcomes[ignore], float64(s.TotalIgnored), true)
	add(callsDesc, l.outcomes[rejected], float64(s.TotalRejected), true)
	if cfg.Shadow {
		add(callsDesc, l.outcomes[shadowRejected], float64(s.TotalShadowRejected), true)
	}
	add(slowDesc, l.breaker, float64(s.TotalSlow), true)
	for _, from := range states {
		for _, to := range states {
			n := s.TransitionCounts[from][to]
			// A circuit never goes from closed to half-open; the pair
			// appears only if it ever happens.
			if from != to && (n > 0 || !(from == runtime.Closed && to == runtime.HalfOpen)) {
				add(transitionsDesc, l.pairs[from][to], float64(n), true)
			}
		}
	}
	if cfg.FailureRate > 0 {
		add(failureRateDesc, l.breaker, s.FailureRate, false)
	}
	if cfg.SlowRate > 0 {
		add(slowRateDesc, l.breaker, s.SlowRate, false)
	}
	add(retryDesc, l.breaker, s.RetryAfter.Seconds(), false)
	for i := range samples {
		ch <- &samples[i]
	}
}

func oneHot(on bool) float64 {
	if on {
		return 1
	}
	return 0
}
