package buildcons

import (
	"go/build/constraint"
	"path/filepath"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

func TestNameLimits(t *testing.T) {
	for _, tc := range []struct{ base, goos, goarch, suffix string }{
		{"client.go", "", "", ""},
		{"linux.go", "", "", ""}, // the go command ignores what precedes the first _
		{"client_linux.go", "linux", "", "linux"},
		{"client_arm64.go", "", "arm64", "arm64"},
		{"client_linux_arm64.go", "linux", "arm64", "linux_arm64"},
		{"client_windows_test.go", "windows", "", "windows"},
		{"client_arm64_linux.go", "linux", "", "linux"},
		{"client_plan.go", "", "", ""},
	} {
		goos, goarch := NameLimits(tc.base)
		if goos != tc.goos || goarch != tc.goarch {
			t.Errorf("NameLimits(%q) = %q, %q; want %q, %q", tc.base, goos, goarch, tc.goos, tc.goarch)
		}
		if got := NameSuffix(goos, goarch); got != tc.suffix {
			t.Errorf("NameSuffix(%q, %q) = %q; want %q", goos, goarch, got, tc.suffix)
		}
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		file := filepath.Join(dir, name)
		testmod.WriteFile(t, file, src)
		return file
	}
	plain := write("a.go", "package p\n")
	tagged := write("b.go", "//go:build (redis || memcache) && !race\n\npackage p\n")
	named := write("c_linux.go", "//go:build !race\n\npackage p\n")
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{nil, ""},
		{[]string{plain}, ""},
		{[]string{tagged}, "(redis || memcache) && !race"},
		{[]string{named, tagged}, "linux && !race && (redis || memcache)"},
		{[]string{tagged, named, tagged}, "(redis || memcache) && !race && linux"},
	} {
		got := ""
		if x := Files(tc.files...); x != nil {
			got = x.String()
		}
		if got != tc.want {
			t.Errorf("Files(%v) = %q; want %q", tc.files, got, tc.want)
		}
	}
}

func TestAnd(t *testing.T) {
	x, err := constraint.Parse("//go:build linux && (a || b)")
	if err != nil {
		t.Fatal(err)
	}
	if got := And(nil, x, &constraint.TagExpr{Tag: "linux"}, nil); got.String() != "linux && (a || b)" {
		t.Errorf("And = %q; want each term once", got)
	}
	if And(nil, nil) != nil {
		t.Error("And of nothing is not nil")
	}
}
