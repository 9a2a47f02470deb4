package gomod

import (
	"path/filepath"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

func TestForeign(t *testing.T) {
	mod := testmod.WriteModule(t, map[string]string{"a/a.go": "package a\n"})
	for pattern, want := range map[string]bool{
		".":                     false,
		"./a":                   false,
		"example.com/m":         false,
		"example.com/m/a":       false,
		"example.com/m/...":     false,
		"net/http":              false,
		"example.com/mother":    true,
		"github.com/x/y/v9":     true,
		filepath.Join(mod, "a"): false,
	} {
		if got := Foreign(filepath.Join(mod, "a"), pattern); got != want {
			t.Errorf("Foreign(%q) = %v, want %v", pattern, got, want)
		}
	}

	// A workspace's modules are main modules too, and the go command
	// finds go.work above go.mod.
	ws := t.TempDir()
	testmod.WriteFile(t, filepath.Join(ws, "go.work"), "go 1.26\n\nuse ./m\n")
	testmod.WriteFile(t, filepath.Join(ws, "m", "go.mod"), "module example.com/m\n")
	for gowork, want := range map[string]bool{"": false, "off": true, filepath.Join(ws, "go.work"): false} {
		t.Setenv("GOWORK", gowork)
		if got := Foreign(filepath.Join(ws, "m"), "example.com/other"); got != want {
			t.Errorf("GOWORK=%q: Foreign in a workspace = %v, want %v", gowork, got, want)
		}
	}
}
