package runtime

import (
	"strings"
	"sync"
	"testing"
)

// Hooks see the changes in the order they happened, even when the goroutine
// that made the first change is slow to report it.
func TestHookOrder(t *testing.T) {
	clk := newFakeClock()
	var mu sync.Mutex
	var got []string
	entered, release := make(chan struct{}), make(chan struct{})
	first := true
	cb := New("order", withClock(clk.Now), WithFailureThreshold(1),
		WithOnTransition(func(t Transition) {
			_, from, to := t.Name, t.From, t.To
			mu.Lock()
			wait := first
			first = false
			mu.Unlock()
			if wait {
				close(entered)
				<-release // the goroutine that opened the circuit stalls here
			}
			mu.Lock()
			got = append(got, from.String()+"->"+to.String())
			mu.Unlock()
		}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		Do(cb, func() (int, error) { return 0, errBoom })
	}()
	<-entered
	clk.Advance(defaultCooldown)
	Do(cb, func() (int, error) { return 1, nil }) // open -> half-open -> closed
	close(release)
	<-done
	want := "closed->open open->half-open half-open->closed"
	mu.Lock()
	defer mu.Unlock()
	if g := strings.Join(got, " "); g != want {
		t.Fatalf("hook order %q, want %q", g, want)
	}
}
