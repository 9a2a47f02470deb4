package main

import (
	"reflect"
	"runtime/debug"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"A", []string{"A"}},
		{"A,B", []string{"A", "B"}},
		{" A , ,B,", []string{"A", "B"}},
	}
	for _, tt := range tests {
		if got := split(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestModuleVersion(t *testing.T) {
	const path = "github.com/breakergen/breakergen"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"no version", &debug.BuildInfo{Main: debug.Module{Path: path}}, "(devel)"},
		{"go build in a clone", &debug.BuildInfo{Main: debug.Module{Path: path, Version: "(devel)"}}, "(devel)"},
		{"released", &debug.BuildInfo{Main: debug.Module{Path: path, Version: "v1.2.3"}}, "v1.2.3"},
		{
			"stamped from version control",
			&debug.BuildInfo{Main: debug.Module{Path: path, Version: "v0.0.0-20261130210000-3e8ac8b1a2c4+dirty"}},
			"v0.0.0-20261130210000-3e8ac8b1a2c4+dirty",
		},
		{
			"replaced by a directory",
			&debug.BuildInfo{Main: debug.Module{Path: path, Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../breakergen", Version: "(devel)"}}},
			"v0.0.0-00010101000000-000000000000 => ../breakergen",
		},
		{
			"replaced by a fork",
			&debug.BuildInfo{Main: debug.Module{Path: path, Version: "v1.2.3", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.2.4"}}},
			"v1.2.3 => example.com/fork v1.2.4",
		},
	}
	for _, tt := range tests {
		if got := moduleVersion(tt.info); got != tt.want {
			t.Errorf("%s: moduleVersion = %q, want %q", tt.name, got, tt.want)
		}
	}
}
