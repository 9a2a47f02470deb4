package metricname

import "testing"

func TestLabel(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"agents/bravo", "agents/bravo"},
		{"", Unnamed},
		{"bad\xff", "bad\uFFFD"},
		{"two\xff\xfe runs\xc3", "two\uFFFD runs\uFFFD"},
		{"é ü 日本", "é ü 日本"},
	} {
		if got := Label(c.name); got != c.want {
			t.Errorf("Label(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
