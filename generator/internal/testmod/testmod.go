package testmod

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
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
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// WriteModule creates a module example.com/m in a temporary directory with
// files (paths relative to the module root) and returns its directory.
func WriteModule(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/m\n\ngo " + GoVersion(t) + "\n\nrequire github.com/breakergen/breakergen v0.0.0\n\nreplace github.com/breakergen/breakergen => " + repoRoot(t) + "\n"
	WriteFile(t, filepath.Join(dir, "go.mod"), gomod)
	for name, src := range files {
		WriteFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

// WriteDependent creates a module example.com/app in a temporary directory
// that requires the module example.com/m in dep through a replace
// directive, with files (paths relative to the module root), and returns
// its directory.
func WriteDependent(t testing.TB, dep string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/app\n\ngo " + GoVersion(t) + "\n\nrequire (\n\texample.com/m v0.0.0\n\tgithub.com/breakergen/breakergen v0.0.0\n)\n\nreplace (\n\texample.com/m => " + dep + "\n\tgithub.com/breakergen/breakergen => " + repoRoot(t) + "\n)\n"
	WriteFile(t, filepath.Join(dir, "go.mod"), gomod)
	for name, src := range files {
		WriteFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

// GoVersion is the go directive of this module, which modules that require
// it need at least.
func GoVersion(t testing.TB) string {
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

// WriteFile writes src to path, making its directory, and fails the test
// when it cannot.
func WriteFile(t testing.TB, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Go runs the go command in dir and fails the test with its output when
// it fails.
func Go(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// CheckSource type-checks one file of package p, importing the standard
// library from export data.
func CheckSource(t *testing.T, src string) (*types.Package, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil)}
	pkg, err := conf.Check("example.com/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg, f
}
