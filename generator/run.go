package generator

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Run loads the package, builds the model of the requested interfaces,
// emits the wrappers and writes them (or, with Check, compares them with
// the file on disk). Without Types it runs in batch mode (see Config).
// Nothing is written when it returns an error.
func Run(cfg Config) error {
	if len(cfg.Types) == 0 {
		return runBatch(cfg)
	}
	for i, name := range cfg.Types {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-type: %q is not a Go identifier", name)}
		}
		if slices.Contains(cfg.Types[:i], name) {
			return &UsageError{fmt.Sprintf("-type: %s is listed twice", name)}
		}
	}
	for _, pat := range cfg.Patterns {
		if strings.Contains(pat, "...") {
			return &UsageError{fmt.Sprintf("-type names interfaces of one package, but %s matches many: drop -type to generate every interface marked %s there, or name one package", pat, generateDirective)}
		}
	}
	if err := checkSkip(cfg.Skip); err != nil {
		return err
	}
	cfg.Tags, cfg.Skip = sortedSet(cfg.Tags), sortedSet(cfg.Skip)
	build, err := buildExpr(cfg.Tags)
	if err != nil {
		return err
	}
	t, err := load(&cfg)
	if err != nil {
		return err
	}
	r, err := generate(&cfg, t, build, func(out *output) string { return typeHeader(&cfg, t, out) })
	if err != nil {
		return err
	}
	if cfg.Check {
		return check(cfg.Dir, r.dest, r.src)
	}
	if err := write(cfg.Dir, r.dest, r.src); err != nil {
		return err
	}
	for _, line := range append(notes(&cfg, t, r.out, r.file), requireNote(&cfg, r.out)...) {
		notef(&cfg, "%s", line)
	}
	return nil
}
