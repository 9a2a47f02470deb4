package gomod

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

func TestImportPathOf(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	root := t.TempDir()
	for name, src := range map[string]string{
		"go.work":         "go " + testmod.GoVersion(t) + "\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod":        "module example.com/a\n\ngo " + testmod.GoVersion(t) + "\n",
		"a/x/x.go":        "package x\n",
		"a/nested/go.mod": "module example.com/nested\n\ngo " + testmod.GoVersion(t) + "\n",
		"b/go.mod":        "module example.com/b/v2\n\ngo " + testmod.GoVersion(t) + "\n",
		"c/go.mod":        "module example.com/c\n\ngo " + testmod.GoVersion(t) + "\n",
		"loose/doc.txt":   "no module\n",
	} {
		testmod.WriteFile(t, filepath.Join(root, name), src)
	}
	goroot, err := Run(root, "env", "GOROOT")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		env  string // GOWORK: "off" or the go.work file
		wd   string // where breakergen runs, relative to root
		dir  string // the output directory, relative to root unless absolute
		want string // the import path, or the start of the outside reason
	}{
		{"off", "a", "a", "example.com/a"},
		{"off", "a", "a/x", "example.com/a/x"},
		{"off", "a", "a/new/deeper", "example.com/a/new/deeper"},
		{"off", "a/x", "b", "is in module example.com/b/v2, not in example.com/a"},
		{"off", "a", "a/nested/p", "is in module example.com/nested, not in example.com/a"},
		{"off", "a", "a/vendor/example.com/b", "is in a vendor directory"},
		{"off", "a", "loose", "is in no module"},
		{"off", "a", filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "http"), "is in GOROOT"},
		{"work", "a", "b/y", "example.com/b/v2/y"},
		{"work", "b", "a/x", "example.com/a/x"},
		{"work", "a", "c", "is in the module at " + filepath.Join("..", "c") + ", outside workspace " + filepath.Join("..", "go.work")},
		{"work", "loose", "a/x", "example.com/a/x"},
	}
	for _, tt := range tests {
		gowork := "off"
		if tt.env == "work" {
			gowork = filepath.Join(root, "go.work")
		}
		t.Setenv("GOWORK", gowork)
		dir := tt.dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		got, err := ImportPath(filepath.Join(root, tt.wd), dir)
		if out, ok := errors.AsType[*OutsideError](err); ok {
			got = out.Reason.Render(filepath.Join(root, tt.wd))
		} else if err != nil {
			t.Errorf("GOWORK=%s in %s: importPathOf(%s): %v", tt.env, tt.wd, tt.dir, err)
			continue
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("GOWORK=%s in %s: importPathOf(%s) = %q, want %q", tt.env, tt.wd, tt.dir, got, tt.want)
		}
	}
}

// TestPlainModule checks that the module read from the file system is the
// one the go command names, where plainModule gives an answer, and that it
// gives none where it cannot be sure.
func TestPlainModule(t *testing.T) {
	t.Setenv("GOWORK", "")
	mod := testmod.WriteModule(t, map[string]string{
		"a/a.go":        "package a\n",
		"nested/go.mod": "module example.com/nested\n",
	})
	for _, dir := range []string{mod, filepath.Join(mod, "a"), filepath.Join(mod, "new", "pkg"), filepath.Join(mod, "vendor", "x")} {
		m, ok := plainModule(mod, dir)
		if !ok {
			t.Errorf("plainModule(%s): no answer", dir)
			continue
		}
		got, gotErr := pathIn(m, dir)
		mods, err := mainModules(mod)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := pathIn(mods[0], dir)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: %q, %v; the go command's module gives %q, %v", dir, got, gotErr, want, wantErr)
		}
	}
	if _, ok := plainModule(mod, filepath.Join(mod, "nested")); ok {
		t.Error("plainModule answered for a nested module")
	}
	testmod.WriteFile(t, filepath.Join(mod, "go.work"), "go "+testmod.GoVersion(t)+"\n\nuse .\n")
	if _, ok := plainModule(mod, filepath.Join(mod, "a")); ok {
		t.Error("plainModule answered in a workspace")
	}
}
