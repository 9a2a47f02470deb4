package breakerotel

import "github.com/breakergen/breakergen/internal/metricname"

// Unnamed is the breaker attribute of a breaker whose name is empty.
const Unnamed = metricname.Unnamed

// LabelName returns the breaker attribute of a breaker named name: the name,
// with each run of bytes that is not valid UTF-8 replaced by U+FFFD, as
// strings.ToValidUTF8 does, or Unnamed for an empty name. Two names that
// become the same label are duplicates (see Metrics). breakerprom's
// LabelName gives the same label.
func LabelName(name string) string { return metricname.Label(name) }
