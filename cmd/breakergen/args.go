package main

import (
	"flag"
	"log"
	"runtime/debug"
	"strings"

	"github.com/breakergen/breakergen/generator"
)

// flags are the command's flags, as parsed.
type flags struct {
	types, output, tags       string
	perMethod, check, version bool
}

// newFlags defines the command's flags on a new flag set.
func newFlags() (*flag.FlagSet, *flags) {
	fs := flag.NewFlagSet("breakergen", flag.ContinueOnError)
	fs.Usage = func() { usage(fs) }
	f := new(flags)
	fs.StringVar(&f.types, "type", "", "comma-separated list of interface names; required")
	fs.StringVar(&f.output, "output", "", "output file; default <type>_breaker.go in the package directory")
	fs.StringVar(&f.tags, "tags", "", "comma-separated list of build tags to apply; the file requires them all")
	fs.BoolVar(&f.perMethod, "per-method", false, "one breaker per method, from a *runtime.Set")
	fs.BoolVar(&f.check, "check", false, "write nothing; exit 1 if the output file is missing or out of date")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	return fs, f
}

// config is the generator's configuration for the flags, the remaining
// arguments (patterns) and the whole command line (args).
func (f *flags) config(patterns, args []string) generator.Config {
	return generator.Config{
		Types:     split(f.types),
		Patterns:  patterns,
		Output:    f.output,
		Tags:      split(f.tags),
		PerMethod: f.perMethod,
		Check:     f.check,
		Args:      headerArgs(args),
		Note:      func(msg string) { log.Print(msg) },
	}
}

// headerArgs are the arguments recorded in the generated file: those that
// generate it, so -check compares with what generation wrote.
func headerArgs(args []string) []string {
	var out []string
	for _, a := range args {
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); name == "check" && strings.HasPrefix(a, "-") {
			continue
		}
		out = append(out, a)
	}
	return out
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
