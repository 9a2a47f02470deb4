package buildcons

import (
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

func TestExcluded(t *testing.T) {
	other := "windows"
	if runtime.GOOS == "windows" {
		other = "linux"
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, src string
		tags      []string
		want      string
	}{
		{"a.go", "//go:build redis\n\npackage p\n", nil, "which this build excludes (//go:build redis); run breakergen with -tags=redis"},
		{"b.go", "//go:build redis && memcache\n\npackage p\n", []string{"redis"}, "run breakergen with -tags=redis,memcache"},
		{"c.go", "//go:build !redis\n\npackage p\n", []string{"redis"}, "which this build excludes (//go:build !redis); give the tags it needs with -tags"},
		{"d.go", "//go:build ignore\n\npackage main\n", nil, "which //go:build ignore excludes from every build"},
		{"e_" + other + ".go", "package p\n", nil, "whose name limits it to GOOS=" + other + ", not " + runtime.GOOS + "/" + runtime.GOARCH + "; run breakergen with GOOS=" + other},
	} {
		file := filepath.Join(dir, tc.name)
		testmod.WriteFile(t, file, tc.src)
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if got := Excluded(file, f, tc.tags); !strings.Contains(got, tc.want) {
			t.Errorf("Excluded(%s, tags %v) = %q; want it to contain %q", tc.name, tc.tags, got, tc.want)
		}
		if NameMatches(build.Default, file) == strings.HasPrefix(tc.name, "e_") {
			t.Errorf("NameMatches(%s) = %v", tc.name, !strings.HasPrefix(tc.name, "e_"))
		}
	}
}
