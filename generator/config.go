package generator

import "errors"

// Config is one run of the generator: what the command's flags say.
type Config struct {
	Types     []string // interface names, from -type; at least one
	Patterns  []string // package patterns or a directory; default "."
	Output    string   // output file, from -output; default <type>_breaker.go in the package
	Tags      []string // build tags, from -tags
	PerMethod bool     // one breaker per method, from -per-method
	Check     bool     // compare with the file on disk instead of writing it, from -check
	Args      []string // the command-line arguments, for the header of the file
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

// ErrStale is wrapped by the error Run returns with Config.Check when the
// file on disk is missing or differs from what would be generated.
var ErrStale = errors.New("generated file is not up to date")
