package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/script to match the output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"breakergen": func() { os.Exit(breakergen()) },
	})
}

// TestScript runs the scripts in testdata/script. Each one is a module of its
// own that uses the repository through a replace directive: Setup expands the
// literal $REPO in every go.mod of the archive to the repository root, and
// passes on the Go caches and GOROOT so that scripts build offline and can
// check that nothing was written there. The modules of the repository's
// go.sum are downloaded into the host's module cache first (downloadModules).
func TestScript(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var goenv map[string]string
	if err := json.Unmarshal(out, &goenv); err != nil {
		t.Fatalf("go env: %v", err)
	}
	if err := downloadModules(repo); err != nil {
		t.Fatalf("filling the module cache for the scripts: %v", err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(repo, "testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			return setup(env, repo, goenv)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"backdate":   cmdBackdate,
			"exitcode":   cmdExitcode,
			"goproxy":    cmdGoproxy,
			"unmodified": cmdUnmodified,
			"unwritable": cmdUnwritable,
		},
	})
}

// setup exports the repository root as $REPO, points every go.mod of the
// archive at it and makes the go command work offline with the host's caches.
func setup(env *testscript.Env, repo string, goenv map[string]string) error {
	env.Setenv("REPO", repo)
	// A process that runs as long as the script: its PID is a live one.
	env.Setenv("TESTPID", strconv.Itoa(os.Getpid()))
	for name, v := range goenv {
		env.Setenv(name, v)
	}
	for _, name := range []string{"HOME", "CGO_ENABLED"} {
		if v, ok := os.LookupEnv(name); ok {
			env.Setenv(name, v)
		}
	}
	env.Setenv("GOFLAGS", "-mod=mod")
	env.Setenv("GOPROXY", "off")
	env.Setenv("GOSUMDB", "off")
	env.Setenv("GOTOOLCHAIN", "local")
	env.Setenv("GOWORK", "off")
	return filepath.WalkDir(env.WorkDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "go.mod" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(path, []byte(strings.ReplaceAll(string(data), "$REPO", repo)), 0o666)
	})
}

// cmdExitcode runs a command like exec, keeping its output for stdout and
// stderr, and checks that it exits with the given non-zero status: exec can
// only tell success from failure, and breakergen exits 2 for usage errors.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode status command [arg...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want <= 0 {
		ts.Fatalf("usage: exitcode status command [arg...]: status must be a positive integer")
	}
	err = ts.Exec(args[1], args[2:]...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		ts.Fatalf("%s succeeded, want exit status %d", args[1], want)
	case !errors.As(err, &exit):
		ts.Fatalf("%s: %v", args[1], err)
	case exit.ExitCode() != want:
		ts.Fatalf("%s: exit status %d, want %d", args[1], exit.ExitCode(), want)
	}
}

// cmdGoproxy serves the modules in a directory of the archive from a Go
// module proxy on the loopback interface until the script ends, and points
// GOPROXY at it, then at the host's module cache for everything else: a
// script can then download a dependency into a module cache of its own,
// offline. The directory holds one directory per module version, named
// path_version with the path's slashes as underscores (example.com_kv_v1.0.0),
// as goproxytest reads them.
func cmdGoproxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: goproxy dir")
	}
	srv, err := goproxytest.NewServer(ts.MkAbs(args[0]), "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(srv.Close)
	hostCache := "file://" + filepath.ToSlash(filepath.Join(ts.Getenv("GOMODCACHE"), "cache", "download"))
	ts.Setenv("GOPROXY", srv.URL+","+hostCache)
}

// backdateTime is the modification time that backdate sets and unmodified
// looks for; no real write can produce it.
var backdateTime = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// cmdBackdate sets the modification time of files to a fixed instant in the
// past, so that unmodified can tell whether they were written since.
func cmdBackdate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: backdate file...")
	}
	for _, name := range args {
		ts.Check(os.Chtimes(ts.MkAbs(name), backdateTime, backdateTime))
	}
}

// cmdUnmodified checks that files still have the modification time that
// backdate gave them; with ! it checks that each was written since.
func cmdUnmodified(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: [!] unmodified file...")
	}
	for _, name := range args {
		fi, err := os.Stat(ts.MkAbs(name))
		ts.Check(err)
		switch same := fi.ModTime().Equal(backdateTime); {
		case neg && same:
			ts.Fatalf("%s was not written since backdate", name)
		case !neg && !same:
			ts.Fatalf("%s was written since backdate (modified %s)", name, fi.ModTime().Format(time.RFC3339Nano))
		}
	}
}

// cmdUnwritable makes a directory unwritable until the script ends: by its
// permissions, and, for root, whom they do not stop, by making it
// immutable with chattr (e2fsprogs). It fails when neither works.
func cmdUnwritable(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: unwritable dir")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.Chmod(dir, 0o555))
	ts.Defer(func() { os.Chmod(dir, 0o755) })
	if writable(dir) {
		if err := exec.Command("chattr", "+i", dir).Run(); err == nil {
			ts.Defer(func() { exec.Command("chattr", "-i", dir).Run() })
		}
	}
	if writable(dir) {
		ts.Fatalf("cannot make %s unwritable: root needs chattr and a file system that supports it", args[0])
	}
}

// writable reports whether a file can be created in dir.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, "probe")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}
