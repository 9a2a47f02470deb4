package generator

// Config is one run of the generator: what the command's flags say.
//
// With Types it generates the wrappers of those interfaces of one package
// into one file. Without Types it runs in batch mode: every interface
// of the packages matched by Patterns whose doc comment has a
// //breakergen:generate line gets a file of its own, and files that
// batch mode wrote for interfaces that no longer have one are removed.
type Config struct {
	Types     []string // interface names, from -type; none for batch mode
	Patterns  []string // package patterns or a directory; default "." with Types, required without
	Output    string   // output file, from -output; default <type>_breaker.go in the package
	Tags      []string // build tags, from -tags
	PerMethod bool     // one breaker per method, from -per-method
	Skip      []string // methods that pass through unguarded, from -skip
	Check     bool     // compare with the files on disk instead of writing them, from -check
	Dir       string   // the directory patterns and -output are relative to; "" means the current one
	// Note, when set, receives the lines a successful run has to say
	// besides its output, for standard error: a wrapper that guards
	// nothing, a package it created, a requirement the module lacks.
	Note func(msg string)
}

// A UsageError is a mistake in the command line rather than in the code it
// points at.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }
