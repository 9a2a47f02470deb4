package generator

import (
	"slices"
)

// sortedSet is list sorted, without duplicates.
func sortedSet(list []string) []string {
	list = slices.Clone(list)
	slices.Sort(list)
	return slices.Compact(list)
}
