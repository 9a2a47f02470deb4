package generator

import (
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// Run loads the package, builds the model of the requested interfaces,
// emits the wrappers and writes them (or, with Check, compares them with
// the file on disk). Without Types it runs in batch mode (see Config).
// Nothing is written when it returns an error.
func Run(cfg Config) error {
	build, err := cfg.validate()
	if err != nil {
		return err
	}
	// Every stage names paths absolute; here, and only here (and in
	// newNoter for the notes), they are made short for the user.
	return pathmsg.Short(cfg.Dir, run(cfg, build, newNoter(cfg.Note, cfg.Dir)))
}

// run is Run with cfg valid, its errors' paths absolute.
func run(cfg Config, build string, note noter) error {
	if len(cfg.Types) == 0 {
		return runBatch(cfg, build, note)
	}
	req := cfg.request()
	t, err := load.Load(&load.Query{Dir: cfg.Dir, Patterns: cfg.Patterns, Tags: cfg.Tags, Types: cfg.Types})
	if err != nil {
		return err
	}
	if err := markedForBatch(t); err != nil {
		return err
	}
	r, err := generate(req, t, build, func(out *output.File) string { return typeHeader(req, t, out) })
	if err != nil {
		return err
	}
	if cfg.Check {
		return output.CheckFile(r.dest, r.src)
	}
	if err := output.Write(r.dest, r.src); err != nil {
		return err
	}
	for _, line := range notes(t, r) {
		note("%s", line)
	}
	return nil
}
