package gomod

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/mod/modfile"
)

// An OutsideError says why a directory is not one breakergen may write
// to: it is outside the main module or workspace.
type OutsideError struct {
	Reason *pathmsg.Msg // what the directory is, such as "in the module cache"
	Fix    *pathmsg.Msg // what to do instead, if there is more to say than "give -output"; or nil
}

func (e *OutsideError) Error() string { return e.Reason.Error() }

// goEnv is what the go command says about the module of a directory.
type goEnv struct {
	GOMOD, GOWORK, GOROOT, GOMODCACHE string
}

// A mainModule is one of the modules whose code the go command builds
// from a directory: the main module, or each module of the workspace.
type mainModule struct {
	Path, Dir, GoMod string
}

// ImportPath asks the go command which module holds dir, which need not
// exist yet, and returns the import path a package in dir has. It returns
// an *OutsideError when that module is not one of the main modules of the
// go command in wd (the module, or the workspace's modules, that
// breakergen runs in): breakergen writes nowhere else, not into the module
// cache, GOROOT, a dependency's directory or a vendor directory.
func ImportPath(wd, dir string) (string, error) {
	if mod, ok := plainModule(wd, dir); ok {
		return pathIn(mod, dir)
	}
	out, err := Run(ExistingDir(dir), "env", "-json", "GOMOD", "GOWORK", "GOROOT", "GOMODCACHE")
	if err != nil {
		return "", err
	}
	var env goEnv
	if err := json.Unmarshal(out, &env); err != nil {
		return "", pathmsg.Errorf("go env -json: %w", err)
	}
	switch {
	case env.GOROOT != "" && Within(dir, env.GOROOT):
		return "", &OutsideError{Reason: pathmsg.Sprintf("is in GOROOT, the Go installation")}
	case env.GOMODCACHE != "" && Within(dir, env.GOMODCACHE):
		return "", &OutsideError{Reason: pathmsg.Sprintf("is in the module cache, whose files the go command verifies")}
	case env.GOMOD == "" || env.GOMOD == os.DevNull:
		return "", &OutsideError{Reason: pathmsg.Sprintf("is in no module")}
	}
	mods, err := mainModules(wd)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(mods, func(m mainModule) bool { return m.GoMod == env.GOMOD })
	if i < 0 {
		return "", notMain(env, mods, dir)
	}
	return pathIn(mods[i], dir)
}

// notMain is the error for dir in the module of env, which is not one of
// mods, the main modules.
func notMain(env goEnv, mods []mainModule, dir string) error {
	// Ask the go command the module's path.
	name := pathmsg.Sprintf("the module at %s", pathmsg.Path(filepath.Dir(env.GOMOD)))
	if others, err := mainModules(ExistingDir(dir)); err == nil {
		if j := slices.IndexFunc(others, func(m mainModule) bool { return m.GoMod == env.GOMOD }); j >= 0 {
			name = pathmsg.Sprintf("module %s", others[j].Path)
		}
	}
	switch {
	case len(mods) == 1 && mods[0].GoMod == "":
		return &OutsideError{Reason: pathmsg.Sprintf("is in %s, but breakergen runs in no module", name)}
	case env.GOWORK != "" && env.GOWORK != "off":
		return &OutsideError{
			Reason: pathmsg.Sprintf("is in %s, outside workspace %s", name, pathmsg.Path(env.GOWORK)),
			Fix:    pathmsg.Sprintf("add it to the workspace (go work use %s), or", pathmsg.Path(filepath.Dir(env.GOMOD))),
		}
	}
	var paths []string
	for _, m := range mods {
		paths = append(paths, m.Path)
	}
	return &OutsideError{Reason: pathmsg.Sprintf("is in %s, not in %s, the module breakergen runs in", name, strings.Join(paths, ", "))}
}

// pathIn is the import path of a package in dir, in module mod, or an
// *OutsideError if dir is outside it or in a vendor directory.
func pathIn(mod mainModule, dir string) (string, error) {
	rel, err := filepath.Rel(mod.Dir, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &OutsideError{Reason: pathmsg.Sprintf("is outside module %s", mod.Path)}
	}
	rel = filepath.ToSlash(rel)
	if slices.Contains(strings.Split(rel, "/"), "vendor") {
		return "", &OutsideError{Reason: pathmsg.Sprintf("is in a vendor directory, which holds copies of dependencies that no package may import by that path")}
	}
	return path.Join(mod.Path, rel), nil
}

// plainModule is the module ImportPath would learn from the go command,
// read from the file system instead where that gives the same answer: no
// workspace (GOWORK=off, or no go.work above either directory), no
// -modfile in GOFLAGS, not GO111MODULE=off, and dir in the module of wd, which is neither the
// standard library's nor in a directory whose name holds "@", as the
// module cache's do. Two go commands fewer: about 20 ms of a run.
func plainModule(wd, dir string) (mainModule, bool) {
	if Workspace(wd) != "" || Workspace(ExistingDir(dir)) != "" || strings.Contains(os.Getenv("GOFLAGS"), "modfile") || os.Getenv("GO111MODULE") == "off" || strings.Contains(dir, "@") {
		return mainModule{}, false
	}
	root := Root(ExistingDir(dir))
	if root == "" || Root(wd) != root {
		return mainModule{}, false
	}
	gomod := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return mainModule{}, false
	}
	path := modfile.ModulePath(data)
	if path == "" || path == "std" || path == "cmd" {
		return mainModule{}, false
	}
	return mainModule{Path: path, Dir: root, GoMod: gomod}, true
}

// Run runs the go command in dir and returns what it prints.
func Run(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if msg == "" {
			msg = err.Error()
		}
		return nil, pathmsg.Errorf("go %s in %s: %s", strings.Join(args, " "), dir, msg)
	}
	return out, nil
}

// mainModules lists the main modules of the go command in dir: the
// module, or the modules of the workspace.
func mainModules(dir string) ([]mainModule, error) {
	out, err := Run(dir, "list", "-m", "-json")
	if err != nil {
		return nil, err
	}
	var mods []mainModule
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var m mainModule
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return mods, nil
		} else if err != nil {
			return nil, pathmsg.Errorf("go list -m -json: %w", err)
		}
		mods = append(mods, m)
	}
}

// ExistingDir is dir or its closest ancestor that exists: where to ask
// the go command about a directory that may not exist yet.
func ExistingDir(dir string) string {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// Within reports whether dir is root or inside it, both absolute and
// compared after resolving symbolic links where they exist.
func Within(dir, root string) bool {
	if LexicallyWithin(dir, root) {
		return true
	}
	d, err1 := filepath.EvalSymlinks(ExistingDir(dir))
	r, err2 := filepath.EvalSymlinks(root)
	return err1 == nil && err2 == nil && LexicallyWithin(d, r)
}

// Root is the closest directory at or above dir with a go.mod, or "".
func Root(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func ReadModFile(file string) (*modfile.File, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return modfile.ParseLax(file, data, nil)
}

// Workspace is the go.work file the go command uses in dir, or "".
func Workspace(dir string) string {
	switch env := os.Getenv("GOWORK"); env {
	case "off":
		return ""
	case "":
	default:
		return env
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return filepath.Join(dir, "go.work")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// FilesIn lists the files of dir whose names end in suffix, such as
// "_test.go", in name order; nil if dir cannot be read. (filepath.Glob
// would take a [, * or ? in dir's path for a pattern and match nothing.)
func FilesIn(dir, suffix string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), suffix) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files
}

// LexicallyWithin reports whether path is dir or inside it, by their names
// alone.
func LexicallyWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
