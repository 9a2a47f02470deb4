package model

import (
	"fmt"
	"maps"
)

// A scope is the set of names taken in one scope of the generated file.
// Every name breakergen chooses comes from one: fresh takes the name asked
// for, or that name with the smallest numeric suffix that is free.
type scope map[string]bool

// fresh takes base, or base with the smallest numeric suffix that is not
// taken, and returns it.
func (s scope) fresh(base string) string {
	return s.freshUnless(base, func(string) bool { return false })
}

// freshUnless is fresh, for a name that must not be one of those for
// which reserved reports true either.
func (s scope) freshUnless(base string, reserved func(string) bool) string {
	name := base
	for k := 1; s[name] || reserved(name); k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	s[name] = true
	return name
}

// with is a copy of s that also holds the names of the other scopes.
func (s scope) with(others ...map[string]bool) scope {
	c := maps.Clone(s)
	if c == nil {
		c = scope{}
	}
	for _, o := range others {
		maps.Copy(c, o)
	}
	return c
}
