package output

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/buildcons"
	"github.com/breakergen/breakergen/generator/internal/genfile"
	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/load"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// Check says why the output file cannot be written where out says,
// or returns the file to write: out.file, or the file a symbolic link
// there points to.
func Check(req *Request, t *load.Target, out *File) (string, error) {
	where := pathmsg.Sprintf("%s", pathmsg.Path(out.Path))
	if req.Output != "" {
		where = pathmsg.Sprintf("-output %s", req.Output)
		if err := checkOutputName(req, out.Path); err != nil {
			return "", err
		}
		if elem := ignoredDir(out.Dir(), t.Dir); elem != "" {
			return "", pathmsg.Errorf("%s: the go command ignores directory %s, so the wrapper would never be built; give -output a file in a package directory", where, elem)
		}
	}
	if err := importCycle(req, t, out, where); err != nil {
		return "", err
	}
	dest, err := linkTarget(req, where, out.Path)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		if req.Output == "" {
			return "", pathmsg.Errorf("%s is a directory where breakergen writes the wrapper of %s; remove it, or give -output another file", pathmsg.Path(dest), req.Types[0])
		}
		return "", pathmsg.Errorf("%s: %s is a directory; give -output a file name in it, such as %s", where, pathmsg.Path(dest), pathmsg.Path(filepath.Join(dest, DefaultName(req, t))))
	}
	if err := caseCollision(req, where, dest); err != nil {
		return "", err
	}
	if err := otherWrappers(req, t, out, dest); err != nil {
		return "", err
	}
	return dest, nil
}

// checkOutputName refuses a file name that the go command ignores or
// builds only for another operating system or architecture than the one
// the package was loaded for: the wrapper would silently not be built.
func checkOutputName(req *Request, file string) error {
	base := filepath.Base(file)
	if strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
		return pathmsg.Errorf("-output %s: the go command ignores files whose names begin with %q, so the wrapper would never be built; choose another name", req.Output, base[:1])
	}
	ctx := build.Default
	ctx.BuildTags = req.Tags
	if !buildcons.NameMatches(ctx, file) {
		goos, goarch := buildcons.NameLimits(base)
		suffix := buildcons.NameSuffix(goos, goarch)
		return pathmsg.Errorf("-output %s: the go command builds a file named *_%s.go only for %s, not for %s/%s that the package is loaded for, so the wrapper would not be built with the interface; choose a name without _%s", req.Output, suffix, strings.ReplaceAll(suffix, "_", "/"), ctx.GOOS, ctx.GOARCH, suffix)
	}
	return nil
}

// ignoredDir names the first directory element of dir, below its module's
// root and not shared with pkgDir, that the go command skips in patterns
// such as ./...: testdata, or a name starting with _ or .; or returns "".
func ignoredDir(dir, pkgDir string) string {
	root := gomod.Root(dir)
	if root == "" {
		return ""
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." {
		return ""
	}
	if gomod.Within(pkgDir, dir) {
		return "" // the interface's own package is there
	}
	for _, elem := range strings.Split(filepath.ToSlash(rel), "/") {
		if elem == "testdata" || strings.HasPrefix(elem, "_") || strings.HasPrefix(elem, ".") {
			return elem
		}
	}
	return ""
}

// importCycle refuses an output in a package that the interfaces'
// package imports, directly or through others: the wrapper there imports
// the interfaces' package, and the go command refuses the cycle, for the
// wrapper's package and every package that imports it.
func importCycle(req *Request, t *load.Target, out *File, where *pathmsg.Msg) error {
	if out.PkgPath == t.Pkg.PkgPath || out.NewPkg || !load.Writable(t) {
		// A package of another module, such as a dependency's or the
		// standard library's, does not import the main module's: no go
		// list of its imports, which would take longer than the rest.
		return nil
	}
	chain, err := importChain(req, t.Pkg.PkgPath, out.PkgPath)
	if err != nil {
		return pathmsg.Errorf("%s: %w", where, err)
	}
	if chain == nil {
		return nil
	}
	through := ""
	if len(chain) > 1 {
		through = " (through " + strings.Join(chain[:len(chain)-1], ", ") + ")"
	}
	return pathmsg.Errorf("%s: package %s is imported by %s%s, so a wrapper there that imports %s would make an import cycle; give -output a file in a package that %s does not import", where, out.PkgPath, t.Pkg.PkgPath, through, t.Pkg.PkgPath, t.Pkg.PkgPath)
}

// importChain is the shortest list of import paths from a package that
// the package from imports to path, each imported by the one before; or
// nil if from does not import path, directly or through others. The go
// command lists the imports: a package loaded from export data, as the
// interfaces' package's imports are, lists only the packages its export
// data mentions.
func importChain(req *Request, from, path string) ([]string, error) {
	args := []string{"list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}"}
	if len(req.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(req.Tags, ","))
	}
	list, err := gomod.Run(req.Dir, append(args, from)...)
	if err != nil {
		return nil, pathmsg.Errorf("list the imports of %s: %w", from, err)
	}
	imports := map[string][]string{}
	for line := range strings.Lines(string(list)) {
		if fields := strings.Fields(line); len(fields) > 0 {
			imports[fields[0]] = fields[1:]
		}
	}
	prev := map[string]string{from: ""}
	for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
		for _, imp := range imports[queue[0]] {
			if _, seen := prev[imp]; seen {
				continue
			}
			prev[imp] = queue[0]
			if imp == path {
				var chain []string
				for p := imp; p != from; p = prev[p] {
					chain = append(chain, p)
				}
				slices.Reverse(chain)
				return chain, nil
			}
			queue = append(queue, imp)
		}
	}
	return nil, nil
}

// linkTarget is file, or the file it links to when it is a symbolic link:
// breakergen writes through the link, so the link stays and its target is
// what changes. It refuses a link that leads nowhere or out of the main
// module or workspace.
func linkTarget(req *Request, where *pathmsg.Msg, file string) (string, error) {
	fi, err := os.Lstat(file)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return file, nil
	}
	link, _ := os.Readlink(file)
	dest, err := filepath.EvalSymlinks(file)
	if err != nil {
		return "", pathmsg.Errorf("%s: %s is a symbolic link to %s, which does not exist; create it or remove the link", where, pathmsg.Path(file), link)
	}
	dest, err = filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	if _, err := gomod.ImportPath(req.Dir, filepath.Dir(dest)); err != nil {
		if out, ok := errors.AsType[*gomod.OutsideError](err); ok {
			return "", pathmsg.Errorf("%s: %s is a symbolic link to %s, whose directory %s; breakergen writes only inside the main module or workspace: remove the link or give -output another file", where, pathmsg.Path(file), link, out.Reason)
		}
		return "", pathmsg.Errorf("%s: %w", where, err)
	}
	return dest, nil
}

// caseCollision refuses to write file next to a file whose name differs
// from it only in case: on a case-insensitive file system (macOS,
// Windows) one replaces the other.
func caseCollision(req *Request, where *pathmsg.Msg, file string) error {
	entries, _ := os.ReadDir(filepath.Dir(file))
	base := filepath.Base(file)
	for _, e := range entries {
		if e.Name() == base || !strings.EqualFold(e.Name(), base) {
			continue
		}
		other := filepath.Join(filepath.Dir(file), e.Name())
		what := ""
		fix := pathmsg.Sprintf("give -output another name") // other may hold hand-written code
		if types := wrappedTypes(other); len(types) > 0 {
			what = fmt.Sprintf(", the wrapper of %s,", strings.Join(types, " and "))
			fix = pathmsg.Sprintf("give -output another name, or remove %s if it is stale", pathmsg.Path(other))
		}
		return pathmsg.Errorf("%s: %s%s differs from %s only in case, so on a case-insensitive file system (macOS, Windows) writing the wrapper of %s replaces it; %s", where, pathmsg.Path(other), what, pathmsg.Path(file), strings.Join(req.Types, " and "), fix)
	}
	return nil
}

// otherWrappers refuses to replace a file written by breakergen that holds
// the wrapper of an interface this run does not generate and that still
// exists: another directive writes that file, and its wrapper would be
// lost. A wrapper of an interface since renamed or removed is replaced.
func otherWrappers(req *Request, t *load.Target, out *File, file string) error {
	if !genfile.IsGenerated(file) {
		return nil
	}
	for _, w := range wrappers(file) {
		if slices.Contains(req.Types, w.name) || !stillDeclared(t, out, w) {
			continue
		}
		holds := pathmsg.Sprintf("refusing to overwrite %s: it holds", pathmsg.Path(file))
		if req.Check { // which writes nothing
			holds = pathmsg.Sprintf("%s holds", pathmsg.Path(file))
		}
		if t.Batch { // one interface, one //breakergen:generate line
			return pathmsg.Errorf("%s the wrapper of %s, which still exists, and the wrapper of %s would replace it; give %s another -output on its //breakergen:generate line", holds, w.name, req.Types[0], req.Types[0])
		}
		return pathmsg.Errorf("%s the wrapper of %s, which still exists, and -type=%s would replace it; give each -type its own -output, or list both in one (-type=%s,%s)", holds, w.name, strings.Join(req.Types, ","), strings.Join(req.Types, ","), w.name)
	}
	return nil
}
