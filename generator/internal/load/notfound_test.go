package load

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
	} {
		if got := similar(tt.a, tt.b); got != tt.want {
			t.Errorf("similar(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
