package pathmsg

import "testing"

func TestSimilar(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"AgentClent", "AgentClient", true},
		{"agentclient", "AgentClient", true},
		{"Store", "Stores", true},
		{"Store", "Agent", false},
		{"A", "B", true},
		{"Client", "AgentClient", false},
		{"Clsoe", "Close", true}, // two letters swapped: one edit
		{"Cloes", "Close", true},
		{"Colse", "Store", false},
	} {
		if got := Similar(tt.a, tt.b); got != tt.want {
			t.Errorf("Similar(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
