package breakertest

import (
	"errors"
	"sync"
)

// ErrDown is the error that Trip makes a Dependency return.
var ErrDown = errors.New("breakertest: dependency down")

// A Dependency stands for what a breaker guards. A fake of the wrapped
// interface embeds one and calls Call in each method, so the test can make
// the calls fail and count those that reached the dependency. It is safe for
// concurrent use. The zero Dependency succeeds.
type Dependency struct {
	mu     sync.Mutex
	err    error
	calls  int
	during []func()
}

// Call records a call that reached the dependency, runs the function given
// to During, if any, and then returns the error set by Fail: nil unless the
// dependency is failing.
func (d *Dependency) Call() error {
	d.mu.Lock()
	d.calls++
	var f func()
	if len(d.during) > 0 {
		f, d.during = d.during[0], d.during[1:]
	}
	d.mu.Unlock()
	if f != nil {
		f()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// Calls returns the number of calls that reached the dependency.
func (d *Dependency) Calls() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls
}

// Fail makes every later call return err; Fail(nil) makes them succeed.
func (d *Dependency) Fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.err = err
}

// During runs f inside the next call that reaches the dependency, while the
// call is in flight: after it was admitted and before it reports its result.
// Each f runs once, in the order given. Use it to check what the breaker does
// with other calls meanwhile, such as rejecting them while a half-open probe
// is out.
func (d *Dependency) During(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.during = append(d.during, f)
}
