package load

// A Query is what to load: the packages that Patterns match in Dir, with
// the build tags Tags, and the types named Types among them.
type Query struct {
	Dir      string   // absolute
	Patterns []string // at least one
	Tags     []string
	Types    []string // the types Load finds; none for Packages
}
