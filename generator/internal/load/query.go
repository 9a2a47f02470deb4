package load

import (
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A Query is what to load: the packages that Patterns match in Dir, with
// the build tags Tags, and the types named Types among them.
type Query struct {
	Dir      string   // absolute
	Patterns []string // at least one
	Tags     []string
	Types    []string // the types Load finds; none for Packages
}

// config is the go/packages configuration of a load of q in mode: in Dir,
// with the tags. A -modfile in GOFLAGS moves to the build flags:
// go/packages asks the go command about the compiler outside modules,
// where it refuses -modfile.
func (q *Query) config(mode packages.LoadMode) *packages.Config {
	pcfg := &packages.Config{Mode: mode, Dir: q.Dir}
	if len(q.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(q.Tags, ",")}
	}
	goflags := strings.Fields(os.Getenv("GOFLAGS"))
	modfile := slices.IndexFunc(goflags, func(f string) bool {
		return strings.HasPrefix(f, "-modfile=") || strings.HasPrefix(f, "--modfile=")
	})
	if modfile >= 0 {
		pcfg.BuildFlags = append(pcfg.BuildFlags, goflags[modfile])
		pcfg.Env = append(os.Environ(), "GOFLAGS="+strings.Join(slices.Delete(goflags, modfile, modfile+1), " "))
	}
	return pcfg
}
