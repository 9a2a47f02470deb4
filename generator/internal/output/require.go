package output

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/model"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"golang.org/x/mod/modfile"
)

// modulePath is the path of the module that holds model.RuntimePath.
const modulePath = "github.com/breakergen/breakergen"

// RequireNote warns when the module of the output file would not build
// it: it does not require breakergen's module, whose runtime the file
// imports, or its vendor directory lacks the runtime. It says the exact
// command that fixes it.
func RequireNote(out *File) []*pathmsg.Msg {
	root := gomod.Root(out.Dir())
	if root == "" {
		return nil
	}
	mod, err := gomod.ReadModFile(filepath.Join(root, "go.mod"))
	if err != nil || mod.Module == nil || mod.Module.Mod.Path == modulePath {
		return nil
	}
	get := "go get " + model.RuntimePath
	if v := runtimeVersion(); v != "" {
		get += "@" + v
	}
	file := pathmsg.Path(out.Path)
	if workspace := gomod.Workspace(root); workspace != "" {
		if !workspaceRequires(workspace) {
			return []*pathmsg.Msg{pathmsg.Sprintf("warning: no module of workspace %s requires %s, whose runtime package %s imports, so it will not build; run %s", pathmsg.Path(workspace), modulePath, file, get)}
		}
		return nil
	}
	if !requires(mod) {
		return []*pathmsg.Msg{pathmsg.Sprintf("warning: module %s does not require %s, whose runtime package %s imports, so it will not build; run %s", mod.Module.Mod.Path, modulePath, file, get)}
	}
	if vendorMode(root) {
		if fi, err := os.Stat(filepath.Join(root, "vendor", filepath.FromSlash(model.RuntimePath))); err != nil || !fi.IsDir() {
			return []*pathmsg.Msg{pathmsg.Sprintf("warning: the vendor directory of module %s lacks %s, which %s imports, so it will not build; run go mod vendor", mod.Module.Mod.Path, model.RuntimePath, file)}
		}
	}
	return nil
}

// requires reports whether mod is breakergen's module or requires it.
func requires(mod *modfile.File) bool {
	if mod.Module != nil && mod.Module.Mod.Path == modulePath {
		return true
	}
	for _, r := range mod.Require {
		if r.Mod.Path == modulePath {
			return true
		}
	}
	return false
}

// workspaceRequires reports whether a module of the workspace requires
// breakergen's module; true when the workspace cannot be read.
func workspaceRequires(file string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return true
	}
	work, err := modfile.ParseWork(file, data, nil)
	if err != nil {
		return true
	}
	for _, use := range work.Use {
		dir := use.Path
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(file), dir)
		}
		if mod, err := gomod.ReadModFile(filepath.Join(dir, "go.mod")); err == nil && requires(mod) {
			return true
		}
	}
	return false
}

// vendorMode reports whether the go command builds the module at root
// from its vendor directory: it has one, and GOFLAGS does not say -mod.
func vendorMode(root string) bool {
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err != nil {
		return false
	}
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if strings.HasPrefix(f, "-mod=") || strings.HasPrefix(f, "--mod=") {
			return strings.HasSuffix(f, "=vendor")
		}
	}
	return true
}

// runtimeVersion is the version of breakergen's module that this program
// was built from, or "" for a development build.
func runtimeVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m.Path == modulePath && m.Replace == nil && m.Version != "" && m.Version != "(devel)" {
			return m.Version
		}
	}
	return ""
}
