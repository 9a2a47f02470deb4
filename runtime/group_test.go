package runtime

import (
	"slices"
	"testing"
)

func TestGroup(t *testing.T) {
	var g Group
	if n := len(slices.Collect(g.All())); n != 0 {
		t.Fatalf("the zero Group has %d breakers", n)
	}
	a, b := New("a"), New("b")
	set := NewSet("s")
	g.Add(a, b, a)
	g.AddSet(set, set)
	set.Get("x")
	g.Add(set.Get("y")) // also in the Set: seen once
	names := func() []string {
		var names []string
		for b := range g.All() {
			names = append(names, b.Name())
		}
		slices.Sort(names)
		return names
	}
	if got, want := names(), []string{"a", "b", "s/x", "s/y"}; !slices.Equal(got, want) {
		t.Fatalf("All: %v, want %v", got, want)
	}
	set.Get("z") // created after AddSet
	set.Remove("x")
	if got, want := names(), []string{"a", "b", "s/y", "s/z"}; !slices.Equal(got, want) {
		t.Fatalf("All after Get and Remove: %v, want %v", got, want)
	}
	n := 0
	for range g.All() {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("All ran on after break: %d", n)
	}
}

// TestGroupConcurrent adds to a Group while it is read; run with -race.
func TestGroupConcurrent(t *testing.T) {
	var g Group
	set := NewSet("s")
	hammer(8, func(i int) {
		for k := range 200 {
			switch (i + k) % 4 {
			case 0:
				g.Add(New("b"))
			case 1:
				g.AddSet(set)
			case 2:
				set.Get(string(rune('a' + k%26)))
			default:
				for b := range g.All() {
					_ = b.Stats()
				}
			}
		}
	})
}
