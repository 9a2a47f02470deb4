package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/breakergen/breakergen/generator"
)

func main() { os.Exit(breakergen()) }

// breakergen runs the command with os.Args and returns its exit status:
// 0, 1 for errors, 2 for usage errors.
func breakergen() int {
	log.SetFlags(0)
	log.SetPrefix("breakergen: ")
	fs := flag.NewFlagSet("breakergen", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: breakergen -type=T[,T...] [-output file] [-tags tags] [-per-method] [-check] [package | directory]")
		fs.PrintDefaults()
	}
	types := fs.String("type", "", "comma-separated list of interface names; required")
	output := fs.String("output", "", "output file; default <type>_breaker.go in the package directory")
	tags := fs.String("tags", "", "comma-separated list of build tags to apply; the file requires them all")
	perMethod := fs.Bool("per-method", false, "one breaker per method, from a *runtime.Set")
	check := fs.Bool("check", false, "write nothing; exit 1 if the output file is missing or out of date")
	version := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Println("breakergen", buildVersion())
		return 0
	}
	cfg := generator.Config{
		Types:     split(*types),
		Patterns:  fs.Args(),
		Output:    *output,
		Tags:      split(*tags),
		PerMethod: *perMethod,
		Check:     *check,
		Args:      headerArgs(os.Args[1:]),
	}
	if err := generator.Run(cfg); err != nil {
		log.Print(err)
		if _, ok := errors.AsType[*generator.UsageError](err); ok {
			fs.Usage()
			return 2
		}
		return 1
	}
	return 0
}
