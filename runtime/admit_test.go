package runtime

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestMaxWaitDatedUnderLock: a probe admitted after waiting for the lock is
// dated when it is admitted, not when it started waiting, so an instant
// success still closes the circuit. The clock checks, when the probe is
// dated, that the reader holds the breaker's lock: the outcome does not
// depend on how far the goroutine got before the test moved the clock.
func TestMaxWaitDatedUnderLock(t *testing.T) {
	clk := newFakeClock()
	var cb *Breaker
	var admitting atomic.Bool
	var dated atomic.Int64
	now := func() time.Time {
		if admitting.Load() {
			dated.Add(1)
			if cb.mu.TryLock() {
				cb.mu.Unlock()
				t.Error("the probe was dated without the breaker's lock")
			}
		}
		return clk.Now()
	}
	cb = New("lock", withClock(now), WithFailureThreshold(1), WithHalfOpenMaxWait(10*time.Second))
	p, _ := cb.Allow()
	p.Done(errBoom)
	clk.Advance(defaultCooldown)
	p, _ = cb.Allow()
	p.Done(errCanceled) // ignored: the circuit stays half-open, no probe out
	cb.mu.Lock()
	admitting.Store(true)
	admitted := make(chan *Permit)
	go func() {
		p, err := allowHeld(cb)
		if err != nil {
			t.Error(err)
		}
		admitted <- p
	}()
	clk.Advance(time.Minute)
	cb.mu.Unlock()
	q := <-admitted
	admitting.Store(false)
	if dated.Load() == 0 {
		t.Fatal("the probe's admission read no clock")
	}
	q.Done(nil)
	if s := cb.Stats().State; s != Closed {
		t.Fatalf("after an instant probe success: %v, want closed", s)
	}
}

// TestVetReportsPermitCopy: go vet reports a copied Permit, and a Permit
// passed by value, in a program that uses the package.
func TestVetReportsPermitCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/use\n\ngo 1.26\n\nrequire github.com/breakergen/breakergen v0.0.0\n\nreplace github.com/breakergen/breakergen => " + root + "\n",
		"use.go": `package use

import "github.com/breakergen/breakergen/runtime"

func report(p runtime.Permit, err error) { p.Done(err) }

func Call(cb *runtime.Breaker, f func() error) error {
	p, err := cb.Allow()
	if err != nil {
		return err
	}
	c := p
	defer c.Release()
	err = f()
	report(p, err)
	return err
}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gobin, "vet", "-copylocks", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet passed a copied Permit:\n%s", out)
	}
	for _, want := range []string{"use.go:5:", "use.go:12:", "use.go:15:"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet did not report %s:\n%s", want, out)
		}
	}
}
