package group

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/breakergen/breakergen/runtime"
)

func TestGroup(t *testing.T) {
	var g Group
	if n := len(slices.Collect(g.All())); n != 0 {
		t.Fatalf("the zero Group has %d breakers", n)
	}
	a, b := runtime.New("a"), runtime.New("b")
	set := runtime.NewSet("s")
	g.Add("Add", a, b, a)
	g.AddSet("AddSet", set, set)
	set.Get("x")
	g.Add("Add", set.Get("y")) // also in the Set: seen once
	if got, want := names(&g), []string{"a", "b", "s/x", "s/y"}; !slices.Equal(got, want) {
		t.Fatalf("All: %v, want %v", got, want)
	}
	set.Get("z") // created after AddSet
	set.Remove("x")
	if got, want := names(&g), []string{"a", "b", "s/y", "s/z"}; !slices.Equal(got, want) {
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
	set := runtime.NewSet("s")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for k := range 200 {
				switch (i + k) % 4 {
				case 0:
					b := runtime.New("b")
					g.Add("Add", b)
					if k%3 == 0 {
						g.Remove(b)
					}
				case 1:
					g.AddSet("AddSet", set)
					if k%5 == 0 {
						g.RemoveSet(set)
					}
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
	wg.Wait()
}

// TestGroupNil checks that a nil breaker or Set panics at once, naming the
// call, and that nothing of the call is added.
func TestGroupNil(t *testing.T) {
	var g Group
	a := runtime.New("a")
	for _, tc := range []struct {
		call string
		do   func()
		want string
	}{
		{"Add", func() { g.Add("Add", a, nil) }, "Add: argument 2 of 2 is a nil *runtime.Breaker"},
		{"AddSet", func() { g.AddSet("AddSet", nil) }, "AddSet: argument 1 of 1 is a nil *runtime.Set"},
	} {
		got := func() (p any) {
			defer func() { p = recover() }()
			tc.do()
			return nil
		}()
		if s, _ := got.(string); !strings.HasPrefix(s, tc.want) {
			t.Errorf("%s with nil: panic %v, want %q", tc.call, got, tc.want)
		}
	}
	if n := len(slices.Collect(g.All())); n != 0 {
		t.Fatalf("after the panics the Group has %d breakers, want 0", n)
	}
}

// TestGroupRemove removes single breakers and Sets.
func TestGroupRemove(t *testing.T) {
	var g Group
	a, b := runtime.New("a"), runtime.New("b")
	set := runtime.NewSet("s")
	set.Get("x")
	y := set.Get("y")
	g.Add("Add", a, b, y)
	g.AddSet("AddSet", set)
	g.Remove(a, runtime.New("other"), y) // y is still in the Set
	if got, want := names(&g), []string{"b", "s/x", "s/y"}; !slices.Equal(got, want) {
		t.Fatalf("after Remove: %v, want %v", got, want)
	}
	g.RemoveSet(set, runtime.NewSet("other"))
	if got, want := names(&g), []string{"b"}; !slices.Equal(got, want) {
		t.Fatalf("after RemoveSet: %v, want %v", got, want)
	}
	g.Add("Add", a)
	g.AddSet("AddSet", set)
	if got, want := names(&g), []string{"a", "b", "s/x", "s/y"}; !slices.Equal(got, want) {
		t.Fatalf("added again: %v, want %v", got, want)
	}
}

// names returns the names of the breakers of g, sorted.
func names(g *Group) []string {
	var names []string
	for b := range g.All() {
		names = append(names, b.Name())
	}
	slices.Sort(names)
	return names
}
