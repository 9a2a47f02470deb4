package promtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A Sample is one element of an instant vector: a series' labels
// (__name__ among them, unless the query dropped it) and its value.
type Sample struct {
	Labels map[string]string
	Value  float64
}

// A Vector is the result of an instant query.
type Vector []Sample

// By returns the values of v keyed by their label name, such as breaker.
func (v Vector) By(name string) map[string]float64 {
	m := make(map[string]float64, len(v))
	for _, s := range v {
		m[s.Labels[name]] = s.Value
	}
	return m
}

// String lists v one sample a line, sorted, for failure messages.
func (v Vector) String() string {
	lines := make([]string, 0, len(v))
	for _, s := range v {
		pairs := make([]string, 0, len(s.Labels))
		for k, val := range s.Labels {
			pairs = append(pairs, fmt.Sprintf("%s=%q", k, val))
		}
		sort.Strings(pairs)
		lines = append(lines, fmt.Sprintf("{%s} %g", strings.Join(pairs, ","), s.Value))
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		return "(empty)"
	}
	return strings.Join(lines, "\n")
}

// Query evaluates promql now, through the HTTP API, and returns its
// instant vector. A query error or a result of another type fails the test.
func (p *Prometheus) Query(t testing.TB, promql string) Vector {
	t.Helper()
	v, err := p.query(promql)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// WaitFor evaluates promql until ok accepts its result, polling, and
// returns that result; if ok has not accepted one within Options.Wait the
// test fails with the last result. A nil ok accepts any non-empty vector.
func (p *Prometheus) WaitFor(t testing.TB, promql string, ok func(Vector) bool) Vector {
	t.Helper()
	if ok == nil {
		ok = func(v Vector) bool { return len(v) > 0 }
	}
	deadline := time.Now().Add(p.opts.Wait)
	for {
		v := p.Query(t, promql)
		if ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no acceptable answer within %v; the last one:\n%s", promql, p.opts.Wait, v)
		}
		time.Sleep(p.opts.ScrapeInterval / 5)
	}
}

type apiResponse struct {
	Status    string `json:"status"`
	Error     string `json:"error"`
	ErrorType string `json:"errorType"`
	Data      struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

type vectorSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

func (p *Prometheus) query(promql string) (Vector, error) {
	resp, err := p.client.PostForm(p.URL+"/api/v1/query", url.Values{"query": {promql}})
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", promql, err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("query %s: %s: decode the answer: %w", promql, resp.Status, err)
	}
	if r.Status != "success" || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("query %s: %s: %s: %s", promql, resp.Status, r.ErrorType, r.Error)
	}
	if r.Data.ResultType != "vector" {
		return nil, fmt.Errorf("query %s: the result is a %s, not an instant vector", promql, r.Data.ResultType)
	}
	var result []vectorSample
	if err := json.Unmarshal(r.Data.Result, &result); err != nil {
		return nil, fmt.Errorf("query %s: decode the vector: %w", promql, err)
	}
	v := make(Vector, 0, len(result))
	for _, res := range result {
		s, ok := res.Value[1].(string)
		if !ok {
			return nil, fmt.Errorf("query %s: a sample's value is %v, not a string", promql, res.Value[1])
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", promql, err)
		}
		v = append(v, Sample{Labels: res.Metric, Value: f})
	}
	return v, nil
}

// waitForTarget waits until the server has scraped its target successfully
// once, and fails the test with the scrape's error if that takes longer
// than Options.Wait.
func (p *Prometheus) waitForTarget(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(p.opts.Wait)
	last := "no target yet"
	for {
		health, lastErr, err := p.targetHealth()
		if err != nil {
			t.Fatal(err)
		}
		if health == "up" {
			return
		}
		if health != "" {
			last = fmt.Sprintf("health %s, last error %q", health, lastErr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus at %s did not scrape %s within %v: %s", p.URL, p.Target, p.opts.Wait, last)
		}
		time.Sleep(p.opts.ScrapeInterval / 5)
	}
}

// targetHealth returns the health of the one active target ("" before
// service discovery lists it) and the last scrape's error.
func (p *Prometheus) targetHealth() (health, lastErr string, err error) {
	resp, err := p.client.Get(p.URL + "/api/v1/targets?state=active")
	if err != nil {
		return "", "", fmt.Errorf("list the targets: %w", err)
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			ActiveTargets []struct {
				Health    string `json:"health"`
				LastError string `json:"lastError"`
			} `json:"activeTargets"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return "", "", fmt.Errorf("list the targets: %s: %w", resp.Status, err)
	}
	if len(r.Data.ActiveTargets) == 0 {
		return "", "", nil
	}
	return r.Data.ActiveTargets[0].Health, r.Data.ActiveTargets[0].LastError, nil
}
