package main

import (
	"errors"
	"flag"
	"log"
	"runtime/debug"
	"strings"

	"github.com/breakergen/breakergen/generator"
)

// flags are the command's flags, as parsed.
type flags struct {
	types, output, tags, skip            string
	perMethod, resultErr, check, version bool
}

// newFlags defines the command's flags on a new flag set.
func newFlags() (*flag.FlagSet, *flags) {
	fs := flag.NewFlagSet("breakergen", flag.ContinueOnError)
	f := new(flags)
	fs.StringVar(&f.types, "type", "", "comma-separated list of interface names; required unless package patterns select batch mode")
	fs.StringVar(&f.output, "output", "", "output file; default <type>_breaker.go in the package directory")
	fs.StringVar(&f.tags, "tags", "", "comma-separated list of build tags to apply; the file requires them all")
	fs.BoolVar(&f.perMethod, "per-method", false, "one breaker per method, from a *runtime.Set")
	fs.BoolVar(&f.resultErr, "result-err", false, "also guard methods whose last result reports the error with an Err() error method, such as go-redis commands")
	fs.StringVar(&f.skip, "skip", "", "comma-separated list of methods that pass through unguarded")
	fs.BoolVar(&f.check, "check", false, "write nothing; exit 1 if an output file is missing, out of date or (batch mode) left over")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	return fs, f
}

// config is the generator's configuration for the flags and the remaining
// arguments (patterns).
func (f *flags) config(patterns []string) generator.Config {
	return generator.Config{
		Types:     split(f.types),
		Patterns:  patterns,
		Output:    f.output,
		Tags:      split(f.tags),
		PerMethod: f.perMethod,
		ResultErr: f.resultErr,
		Skip:      split(f.skip),
		Check:     f.check,
		Note:      func(msg string) { log.Print(msg) },
	}
}

// emptyType reports a -type given without a name, as -type= or -type=$T
// with T unset: left alone it would select batch mode, which removes files.
func emptyType(fs *flag.FlagSet, f *flags) error {
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "type" })
	if !given || len(split(f.types)) > 0 {
		return nil
	}
	return errors.New("-type is empty: name the interfaces, as in -type=AgentClient, or leave -type out for batch mode")
}

// split is a comma-separated list without empty elements.
func split(s string) []string {
	var list []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			list = append(list, f)
		}
	}
	return list
}

// buildVersion is the version of the module the binary was built from.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return moduleVersion(info)
}

// moduleVersion is the version of info's main module, the one that holds
// the command: "(devel)" when unknown, and with the directory or module that
// replaced it, as when the command is built from a local clone.
func moduleVersion(info *debug.BuildInfo) string {
	if info == nil || info.Main.Version == "" {
		return "(devel)"
	}
	v := info.Main.Version
	if r := info.Main.Replace; r != nil {
		v += " => " + r.Path
		if r.Version != "" && r.Version != "(devel)" {
			v += " " + r.Version
		}
	}
	return v
}
