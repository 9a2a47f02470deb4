package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/breakergen/breakergen/runtime/internal/hook"
)

// Defaults of the options.
const (
	defaultFailureThreshold = 5
	defaultCooldown         = 30 * time.Second
)

// An Option configures a Breaker in New or every breaker of a Set in NewSet.
//
// A With… function panics when given an invalid value, when it is called,
// so the panic points at the bad option rather than at New. New and NewSet
// panic only for options that are valid alone but do not fit together.
type Option func(*config)

type config struct {
	threshold    int64 // 0: the consecutive-failure rule is off
	thresholdSet bool
	cooldown     time.Duration
	probes       int
	successes    int // probe successes that close the circuit
	classify     func(error) Outcome
	observers    []func(Transition) // WithOnTransition, WithLogger (notify.go)
	logger       *slog.Logger

	// WithFailureRate and WithSlowCalls; a zero rate is off.
	failureRate float64
	window      Window
	minCalls    int
	slowLimit   time.Duration
	slowRate    float64

	// WithBackoff; a zero multiplier is off.
	multiplier  float64
	maxCooldown time.Duration
	jitter      float64
	random      func() float64 // uniform in [0, 1): the jitter's source

	maxWait time.Duration // WithHalfOpenMaxWait; 0 is off

	shadow bool // WithShadow: count rejections, make none (shadow.go)

	ext hook.Ext // the options of runtime's sub-packages (plug.go), and breakertest's clock

	// base is when newConfig made the configuration, on the breakers'
	// clock: the zero of the clock of the breakers that share it.
	base time.Time
}

// newConfig applies opts to the defaults and checks that they fit together.
func newConfig(opts []Option) config {
	c := config{
		threshold: defaultFailureThreshold,
		cooldown:  defaultCooldown,
		probes:    1,
		successes: 1,
		classify:  defaultClassifier,
		random:    rand.Float64,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.failureRate > 0 && !c.thresholdSet {
		c.threshold = 0 // the rate replaces the default consecutive rule
	}
	if c.ext.Needs != "" && c.ext.New == nil {
		panic(c.ext.Needs)
	}
	if c.slowRate > 0 && c.failureRate == 0 {
		panic("runtime: WithSlowCalls needs the window of WithFailureRate: add WithFailureRate")
	}
	if c.window.n > 0 && c.minCalls > c.window.n {
		panic(fmt.Sprintf("runtime: WithFailureRate: minCalls %d is more than the %d outcomes LastN keeps, so the circuit could never open", c.minCalls, c.window.n))
	}
	if c.multiplier > 0 && c.maxCooldown < c.cooldown {
		panic(fmt.Sprintf("runtime: WithBackoff: max %v is shorter than the cooldown %v", c.maxCooldown, c.cooldown))
	}
	c.base = time.Now()
	if c.ext.Now != nil {
		c.base = c.ext.Now()
	}
	return c
}

// trips reports whether the outcomes in a window open the circuit.
func (c *config) trips(t tally) bool {
	if t.calls < c.minCalls {
		return false
	}
	// Divide rather than multiply the threshold: the quotient is rounded
	// once, so 3 failures in 10 calls meet a threshold of 0.3 exactly.
	calls := float64(t.calls)
	return float64(t.failures)/calls >= c.failureRate ||
		c.slowRate > 0 && float64(t.slow)/calls >= c.slowRate
}

// cooldownAt returns the cooldown of an opening after k reopenings in a
// row from half-open: the cooldown times multiplier^k, at most max, then
// jittered (WithBackoff). Without WithBackoff it is the cooldown.
func (c *config) cooldownAt(k int) time.Duration {
	if c.multiplier == 0 {
		return c.cooldown
	}
	d := min(float64(c.cooldown)*math.Pow(c.multiplier, float64(k)), float64(c.maxCooldown))
	if c.jitter > 0 {
		d *= 1 + c.jitter*(2*c.random()-1)
	}
	if d >= math.MaxInt64 {
		return math.MaxInt64
	}
	return max(time.Duration(d), 1)
}

// WithFailureThreshold sets how many consecutive failures open the circuit:
// the nth failure in a row opens it. The default is 5. With WithFailureRate
// the consecutive rule is off unless WithFailureThreshold is given too; then
// either rule opens the circuit. WithFailureThreshold panics if n < 1.
func WithFailureThreshold(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("runtime: WithFailureThreshold(%d): the threshold must be at least 1", n))
	}
	return func(c *config) { c.threshold, c.thresholdSet = int64(n), true }
}

// WithCooldown sets how long the circuit stays open before it admits probes.
// The default is 30s. WithCooldown panics if d <= 0.
func WithCooldown(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithCooldown(%v): the cooldown must be positive", d))
	}
	return func(c *config) { c.cooldown = d }
}

// WithHalfOpenProbes sets how many probes the half-open circuit admits at
// once (n) and how many must succeed to close it (successes); any failed
// probe reopens it. With successes above n, probes run in waves; below, n
// probes run in all. The default is 1 and 1. WithHalfOpenProbes panics if
// n or successes is below 1.
func WithHalfOpenProbes(n, successes int) Option {
	if n < 1 || successes < 1 {
		panic(fmt.Sprintf("runtime: WithHalfOpenProbes(%d, %d): the probes and the successes must be at least 1", n, successes))
	}
	return func(c *config) { c.probes, c.successes = n, successes }
}

// WithFailureRate opens the circuit when, over window, failures make up at
// least threshold of the successes and failures, once there are minCalls of
// them. The window starts empty whenever the circuit closes. It replaces
// the consecutive-failure rule unless WithFailureThreshold is given too.
// Every closed-state call then takes the breaker's lock once. It panics if
// threshold is not in (0, 1], minCalls < 1 or window is the zero Window;
// New panics if a LastN window is smaller than minCalls.
func WithFailureRate(threshold float64, window Window, minCalls int) Option {
	if !(threshold > 0 && threshold <= 1) || minCalls < 1 || !window.valid() {
		panic(fmt.Sprintf("runtime: WithFailureRate(%v, %v, %d): the threshold must be in (0, 1], the window LastN or Over, and minCalls at least 1", threshold, window.describe(), minCalls))
	}
	return func(c *config) { c.failureRate, c.window, c.minCalls = threshold, window, minCalls }
}

// WithSlowCalls counts a success that took longer than limit as slow, and
// opens the circuit when slow calls make up at least rate of the window of
// WithFailureRate, which it needs. A slow probe counts as a failed one.
// Timing adds two clock reads to every call. WithSlowCalls panics if limit
// is not positive or rate is not in (0, 1]; New panics without
// WithFailureRate.
func WithSlowCalls(limit time.Duration, rate float64) Option {
	if limit <= 0 || !(rate > 0 && rate <= 1) {
		panic(fmt.Sprintf("runtime: WithSlowCalls(%v, %v): the limit must be positive and the rate in (0, 1]", limit, rate))
	}
	return func(c *config) { c.slowLimit, c.slowRate = limit, rate }
}

// WithBackoff lengthens the cooldown of a circuit that keeps failing its
// probes: the kth reopening in a row gets WithCooldown's times
// multiplier^k, up to max, until the circuit closes. Every cooldown is
// spread by a random factor in [1-jitter, 1+jitter), so breakers that
// opened together do not probe together. WithBackoff panics if multiplier
// is below 1 or infinite, max is not positive, or jitter is not in [0, 1);
// New panics if max is shorter than the cooldown.
func WithBackoff(multiplier float64, max time.Duration, jitter float64) Option {
	if !(multiplier >= 1) || math.IsInf(multiplier, 1) || max <= 0 || !(jitter >= 0 && jitter < 1) {
		panic(fmt.Sprintf("runtime: WithBackoff(%v, %v, %v): the multiplier must be finite and at least 1, max positive and jitter in [0, 1)", multiplier, max, jitter))
	}
	return func(c *config) { c.multiplier, c.maxCooldown, c.jitter = multiplier, max, jitter }
}

// WithHalfOpenMaxWait reopens the half-open circuit when probes are out and
// none has reported for d, so that a probe that hangs cannot keep the
// circuit rejecting everything forever. The reopening is dated when d ran
// out, and the overdue probe's result no longer counts. The default is to
// wait forever. WithHalfOpenMaxWait panics if d <= 0.
func WithHalfOpenMaxWait(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("runtime: WithHalfOpenMaxWait(%v): the wait must be positive", d))
	}
	return func(c *config) { c.maxWait = d }
}

// WithClassifier sets how a non-nil error counts toward the breaker's
// state; a nil error is always a Success. By default context.Canceled is
// Ignore (the caller gave up), io.EOF itself is Success (the normal end of
// a stream), and every other error is a Failure. WithClassifier panics if
// f is nil.
func WithClassifier(f func(error) Outcome) Option {
	if f == nil {
		panic("runtime: WithClassifier(nil): the classifier must not be nil")
	}
	return func(c *config) { c.classify = f }
}

// WithLogger logs every state change to l, as an observer of
// WithOnTransition does: opening at level Warn, the others at Info, with
// the replica it came from if it was another's. Individual calls are never
// logged. The default is no logging. WithLogger panics if l is nil.
func WithLogger(l *slog.Logger) Option {
	if l == nil {
		panic("runtime: WithLogger(nil): the logger must not be nil")
	}
	return func(c *config) {
		c.logger = l
		c.observers = append(c.observers, func(t Transition) { logTransition(l, t) })
	}
}

// defaultClassifier is the classifier WithClassifier describes as the
// default.
func defaultClassifier(err error) Outcome {
	switch {
	case err == io.EOF: // io.Reader returns io.EOF itself, never wrapped
		return Success
	case errors.Is(err, context.Canceled):
		return Ignore
	}
	return Failure
}
