package breakerprom

import (
	"time"

	"github.com/breakergen/breakergen/internal/metricname"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// labels are the label pairs of one breaker's series, made when the
// breaker is first scraped and shared by every later scrape: a registry
// treats a metric's label pairs as immutable. Pairs are sorted by name,
// as the exposition needs them.
type labels struct {
	breaker  []*dto.LabelPair
	states   [len(metricname.States) + 1][]*dto.LabelPair // the last is state="forced_open"
	outcomes [metricname.NumOutcomes][]*dto.LabelPair
	pairs    [len(metricname.States)][len(metricname.States)][]*dto.LabelPair
	// created is the breaker's creation time (Stats.Created), the created
	// timestamp of its counters.
	created *timestamppb.Timestamp
	seen    uint64 // the scrape that last saw the breaker
}

func pair(name, value string) *dto.LabelPair { return &dto.LabelPair{Name: &name, Value: &value} }

func newLabels(breaker string, created time.Time) *labels {
	b := pair("breaker", breaker)
	l := &labels{breaker: []*dto.LabelPair{b}}
	if !created.IsZero() {
		l.created = timestamppb.New(created)
	}
	for i, s := range metricname.States {
		l.states[i] = []*dto.LabelPair{b, pair("state", s.String())}
	}
	l.states[metricname.ForcedOpen] = []*dto.LabelPair{b, pair("state", "forced_open")}
	for i, o := range metricname.Outcomes {
		l.outcomes[i] = []*dto.LabelPair{b, pair("outcome", o)}
	}
	for _, from := range metricname.States {
		for _, to := range metricname.States {
			if from != to {
				l.pairs[from][to] = []*dto.LabelPair{b, pair("from", from.String()), pair("to", to.String())}
			}
		}
	}
	return l
}

// A sample is one series' value at a scrape: a prometheus.Metric whose
// label pairs are a breaker's cached ones. A counter carries its creation
// time, as prometheus.NewConstMetricWithCreatedTimestamp's do.
type sample struct {
	desc    *prometheus.Desc
	labels  []*dto.LabelPair
	value   float64
	created *timestamppb.Timestamp // a counter's; nil for a gauge
	counter bool
}

func (s *sample) Desc() *prometheus.Desc { return s.desc }

func (s *sample) Write(m *dto.Metric) error {
	m.Label = s.labels
	if s.counter {
		m.Counter = &dto.Counter{Value: &s.value, CreatedTimestamp: s.created}
	} else {
		m.Gauge = &dto.Gauge{Value: &s.value}
	}
	return nil
}
