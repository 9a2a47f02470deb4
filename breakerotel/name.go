package breakerotel

import (
	"strings"
	"unicode/utf8"
)

// Unnamed is the breaker attribute of a breaker whose name is empty.
const Unnamed = "(unnamed)"

// LabelName returns the breaker attribute of a breaker named name: the name,
// with each run of bytes that is not valid UTF-8 replaced by U+FFFD, as
// strings.ToValidUTF8 does, or Unnamed for an empty name. Two names that
// become the same label are duplicates (see Metrics).
func LabelName(name string) string {
	switch {
	case name == "":
		return Unnamed
	case !utf8.ValidString(name):
		return strings.ToValidUTF8(name, "\uFFFD")
	}
	return name
}
