package main

import (
	"flag"
	"fmt"
	"strings"
)

// usageLine is the command's synopsis: one package, or batch mode.
const usageLine = `usage: breakergen -type=T[,T...] [-output file] [-tags tags] [-per-method] [-result-err] [-skip methods] [-check] [package | directory]
       breakergen [-tags tags] [-check] packages   (batch mode: every interface marked //breakergen:generate)`

// help prints what -h prints: what breakergen does, the synopsis, an
// example directive, the flags and where the manual is.
func help(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintln(w, "breakergen writes a circuit-breaker decorator for a Go interface: a type that implements it by calling another value of it through a breaker.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, usageLine)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "For example, above the interface AgentClient:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\t//go:generate go tool breakergen -type=AgentClient")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "or, for every interface of the module whose doc comment has a //breakergen:generate line, one directive at its root:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\t//go:generate go tool breakergen ./...")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fs.PrintDefaults()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The full manual: go doc github.com/breakergen/breakergen/cmd/breakergen")
}

// misplacedFlags reports flags given after the package in args, the
// command line that fs parsed: the flag package stops at the first
// argument that is not a flag, so they would be taken for package
// patterns.
func misplacedFlags(fs *flag.FlagSet, args []string) error {
	var flags, patterns []string
	rest := fs.Args()
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || f == nil {
			patterns = append(patterns, a)
			continue
		}
		flags = append(flags, a)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(rest) {
			i++
			flags = append(flags, rest[i]) // the flag's value
		}
	}
	if len(flags) == 0 {
		return nil
	}
	before := args[:len(args)-len(fs.Args())]
	fix := append(append(append([]string{"breakergen"}, before...), flags...), patterns...)
	return fmt.Errorf("%s after the package: flags go before the package, as in %s", strings.Join(flags, " "), strings.Join(fix, " "))
}

// repeatedFlag reports a flag given twice in args, the command line that
// fs parsed: the flag package would keep the last value and drop the
// first without a word.
func repeatedFlag(fs *flag.FlagSet, args []string) error {
	seen := map[string]bool{}
	flags := args[:len(args)-len(fs.Args())]
	for i := 0; i < len(flags); i++ {
		a := flags[i]
		if a == "--" {
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			continue // the value of the flag before
		}
		if seen[name] {
			if name == "type" || name == "tags" || name == "skip" {
				return fmt.Errorf("-%s is given twice; give it once, with a comma-separated list: -%s=A,B", name, name)
			}
			return fmt.Errorf("-%s is given twice; give it once", name)
		}
		seen[name] = true
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // its value
		}
	}
	return nil
}
