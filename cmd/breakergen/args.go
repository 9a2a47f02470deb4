package main

import (
	"runtime/debug"
	"strings"
)

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

// buildVersion is the module version of the binary, or "(devel)".
func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
