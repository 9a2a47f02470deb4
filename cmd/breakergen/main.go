package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"strings"

	"github.com/breakergen/breakergen/generator"
)

func main() {
	// A run is short and its heap small (tens of megabytes for go-redis's
	// 600-method Cmdable): collecting garbage four times less often saves
	// about a twentieth of its time. GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(breakergen())
}

// breakergen runs the command with os.Args and returns its exit status:
// 0, 1 for errors, 2 for usage errors.
func breakergen() int {
	log.SetFlags(0)
	log.SetPrefix("breakergen: ")
	fs, f := newFlags()
	// The flag package's own report lacks the prefix and is followed by
	// every flag: silence it and report the error like any other, in one
	// line that says where the flags are.
	fs.SetOutput(io.Discard)
	err := fs.Parse(os.Args[1:])
	fs.SetOutput(os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		// Asked for, the help is the command's output.
		fs.SetOutput(os.Stdout)
		help(fs)
		return 0
	}
	if err != nil {
		err = fmt.Errorf("%w; run breakergen -h for the flags", err)
	}
	if err == nil {
		err = misplacedFlags(fs, os.Args[1:])
	}
	if err == nil {
		err = repeatedFlag(fs, os.Args[1:])
	}
	if err == nil {
		err = emptyType(fs, f)
	}
	if err != nil {
		log.Print(err)
		return 2
	}
	if f.version {
		fmt.Println("breakergen", buildVersion())
		return 0
	}
	cfg := f.config(fs.Args())
	if err := generator.Run(cfg); err != nil {
		// Batch mode reports every error, one line each.
		for line := range strings.SplitSeq(err.Error(), "\n") {
			log.Print(line)
		}
		if _, ok := errors.AsType[*generator.UsageError](err); ok {
			return 2
		}
		return 1
	}
	return 0
}
