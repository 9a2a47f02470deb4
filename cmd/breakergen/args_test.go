package main

import (
	"reflect"
	"testing"
)

func TestHeaderArgs(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"-type=A"}, []string{"-type=A"}},
		{[]string{"-check", "-type=A", "."}, []string{"-type=A", "."}},
		{[]string{"-type=A", "--check=true", "-per-method"}, []string{"-type=A", "-per-method"}},
		{[]string{"-type", "A", "-check=false"}, []string{"-type", "A"}},
		{[]string{"-type=A", "check"}, []string{"-type=A", "check"}}, // a package named check
	}
	for _, tt := range tests {
		if got := headerArgs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("headerArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

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

func TestBuildVersion(t *testing.T) {
	if v := buildVersion(); v == "" {
		t.Error("empty version")
	}
}
