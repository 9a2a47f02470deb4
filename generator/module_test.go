package generator

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the root of this module, for replace directives.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Dir(filepath.Dir(file))
}

// writeModule creates a module example.com/m in a temporary directory with
// files (paths relative to the module root) and returns its directory.
func writeModule(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/m\n\ngo " + goVersion(t) + "\n\nrequire github.com/breakergen/breakergen v0.0.0\n\nreplace github.com/breakergen/breakergen => " + repoRoot(t) + "\n"
	writeFile(t, filepath.Join(dir, "go.mod"), gomod)
	for name, src := range files {
		writeFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

// writeDependent creates a module example.com/app in a temporary directory
// that requires the module example.com/m in dep through a replace
// directive, with files (paths relative to the module root), and returns
// its directory.
func writeDependent(t testing.TB, dep string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/app\n\ngo " + goVersion(t) + "\n\nrequire (\n\texample.com/m v0.0.0\n\tgithub.com/breakergen/breakergen v0.0.0\n)\n\nreplace (\n\texample.com/m => " + dep + "\n\tgithub.com/breakergen/breakergen => " + repoRoot(t) + "\n)\n"
	writeFile(t, filepath.Join(dir, "go.mod"), gomod)
	for name, src := range files {
		writeFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

// goVersion is the go directive of this module, which modules that require
// it need at least.
func goVersion(t testing.TB) string {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("no go directive in go.mod")
	return ""
}

func writeFile(t testing.TB, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in dir and fails the test with its output when
// it fails.
func goCmd(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestImportPathOf(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	root := t.TempDir()
	for name, src := range map[string]string{
		"go.work":         "go " + goVersion(t) + "\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod":        "module example.com/a\n\ngo " + goVersion(t) + "\n",
		"a/x/x.go":        "package x\n",
		"a/nested/go.mod": "module example.com/nested\n\ngo " + goVersion(t) + "\n",
		"b/go.mod":        "module example.com/b/v2\n\ngo " + goVersion(t) + "\n",
		"c/go.mod":        "module example.com/c\n\ngo " + goVersion(t) + "\n",
		"loose/doc.txt":   "no module\n",
	} {
		writeFile(t, filepath.Join(root, name), src)
	}
	goroot, err := goOutput(root, "env", "GOROOT")
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
		got, err := importPathOf(filepath.Join(root, tt.wd), dir)
		if out, ok := errors.AsType[*outsideError](err); ok {
			got = out.reason.Render(filepath.Join(root, tt.wd))
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
	mod := writeModule(t, map[string]string{
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
	writeFile(t, filepath.Join(mod, "go.work"), "go "+goVersion(t)+"\n\nuse .\n")
	if _, ok := plainModule(mod, filepath.Join(mod, "a")); ok {
		t.Error("plainModule answered in a workspace")
	}
}
