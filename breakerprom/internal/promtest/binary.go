// Package promtest runs breakerprom's exposition against the real
// Prometheus tools of the Debian package prometheus: a prometheus server,
// started by the test on a free loopback port, scraping a handler the test
// serves, and promtool's linter.
//
// With CI=true in the environment a missing binary fails the test; without,
// the test is skipped.
package promtest

import (
	"os"
	"os/exec"
	"testing"
)

// Binary returns the path of the named program (prometheus, promtool). If
// it is not on PATH the test fails when CI=true and is skipped otherwise.
func Binary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := name + " is not installed: install the Debian package prometheus (apt-get install prometheus)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
