// Package metricname holds the label values of the metrics adapters
// breakerprom and breakerotel: breaker names made valid, states and
// outcomes. They are modules of their own, and may import it: the Go
// toolchain allows an internal package to every package whose import path
// is under the internal directory's parent, whatever module it is in.
package metricname

import (
	"strings"
	"unicode/utf8"
)

// Unnamed is the label value of a breaker whose name is empty.
const Unnamed = "(unnamed)"

// Label returns the label value of a breaker named name: the name, with
// each run of bytes that is not valid UTF-8 replaced by U+FFFD, as
// strings.ToValidUTF8 does, or Unnamed for an empty name.
func Label(name string) string {
	switch {
	case name == "":
		return Unnamed
	case !utf8.ValidString(name):
		return strings.ToValidUTF8(name, "\uFFFD")
	}
	return name
}
