package generator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// collisions reports the files that two interfaces would write, compared
// without case, as a case-insensitive file system does.
func collisions(cfg *Config, results []*result) []error {
	var errs []error
	first := map[string]*result{}
	for _, r := range results {
		key := strings.ToLower(r.dest)
		prev, ok := first[key]
		if !ok {
			first[key] = r
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s and %s (%s) both write %s; give one of them another -output on its %s line",
			r.job.pos, r.job.t.objs[0].Name(), prev.job.t.objs[0].Name(), prev.job.pos, relFile(cfg.Dir, r.dest), generateDirective))
	}
	return errs
}

// An orphan is a file that batch mode generated for an interface that no
// longer asks for it.
type orphan struct {
	file string
	name string // the interface its header names
}

// findOrphans lists the files in dirs whose header says batch mode wrote
// them and that none of results writes. Files of other generators, of
// breakergen -type and without a header are not orphans.
func findOrphans(dirs []string, results []*result) []orphan {
	written := map[string]bool{}
	for _, r := range results {
		written[r.out.file] = true
	}
	var orphans []orphan
	for _, dir := range sortedSet(dirs) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			if written[file] {
				continue
			}
			if name := batchOf(file); name != "" {
				orphans = append(orphans, orphan{file, name})
			}
		}
	}
	return orphans
}

// batchOf is the interface whose wrapper file holds, if batch mode
// generated it, or "".
func batchOf(file string) string {
	src, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	line, _, _ := bytes.Cut(src, []byte("\n"))
	if m := batchHeaderRE.FindSubmatch(bytes.TrimSuffix(line, []byte("\r"))); m != nil {
		return string(m[1])
	}
	return ""
}
