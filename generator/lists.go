package generator

import (
	"maps"
	"slices"
)

// sortedSet is list sorted, without duplicates.
func sortedSet(list []string) []string {
	list = slices.Clone(list)
	slices.Sort(list)
	return slices.Compact(list)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
