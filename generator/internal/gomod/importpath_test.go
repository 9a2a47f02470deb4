package gomod

import "testing"

func TestAssumedName(t *testing.T) {
	for path, want := range map[string]string{
		"math/rand/v2":         "rand",
		"example.com/go-wire":  "go-wire",
		"example.com/api.v2":   "api.v2",
		"context":              "context",
		"gopkg.in/yaml.v3":     "yaml.v3",
		"example.com/mod/v10":  "mod",
		"example.com/mod/v0":   "v0",
		"example.com/m/client": "client",
	} {
		if got := AssumedName(path); got != want {
			t.Errorf("assumedName(%q) = %q, want %q", path, got, want)
		}
	}
}
