package output

import (
	"errors"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/model"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// A Request is what the output stage needs of a run: the directory it
// runs in, the -output it was given, and the interfaces it wraps, with
// the build tags that select them.
type Request struct {
	Dir    string   // absolute
	Output string   // as the user gave it; "" for the default
	Types  []string // the interfaces, the first one naming the file
	Tags   []string
	Check  bool // -check: the file is compared, never written
}

// A File is where the generated file goes: its path and its package.
type File struct {
	model.Dest        // its package, for the model
	Path       string // path of the file
	NewPkg     bool   // the directory holds no Go file yet: the file starts a package
}

// exists reports whether there is a file or directory at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// Dir is the directory of the output file.
func (o *File) Dir() string { return filepath.Dir(o.Path) }

// For decides the output file and its package.
func For(req *Request, t *load.Target) (*File, error) {
	if req.Output == "" {
		name := DefaultName(req, t)
		same, err := sameModule(req, t)
		if err != nil {
			return nil, err
		}
		if !same {
			// The directory of another module's package (the standard
			// library's, a dependency's, another workspace module's) is
			// not the one the user works in, and may not be theirs to
			// write in: the wrapper goes into the current directory's
			// package, wherever the go command finds the interface.
			return elsewhere(req, t, filepath.Join(req.Dir, name))
		}
		file := filepath.Join(t.Dir, name)
		return &File{Path: file, Dest: model.Dest{PkgPath: t.Pkg.PkgPath, PkgName: t.Pkg.Name, Scope: scopeOf(t), Declared: declaredBy(t, file)}}, nil
	}
	file := req.Output
	if !filepath.IsAbs(file) && req.Dir != "" {
		file = filepath.Join(req.Dir, file)
	}
	file, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if file, err = throughDirLink(req, file); err != nil {
		return nil, err
	}
	dir := filepath.Dir(file)
	isTest := strings.HasSuffix(file, "_test.go")
	pkgDir, err := filepath.Abs(t.Dir)
	if err != nil {
		return nil, err
	}
	if dir == pkgDir && load.Writable(t) {
		// The package itself, or its external test package.
		want := t.Pkg.Name
		if t.InTest && !isTest {
			return nil, pathmsg.Errorf("-output %s: %s is declared in a _test.go file, so the wrapper must go in a _test.go file too", req.Output, req.Types[0])
		}
		return &File{Path: file, Dest: model.Dest{PkgPath: t.Pkg.PkgPath, PkgName: want, Scope: scopeOf(t), Declared: declaredBy(t, file)}}, nil
	}
	return elsewhere(req, t, file)
}

// throughDirLink is file with a symbolic link among the directories of
// -output resolved, so that the file goes where the link leads, in the
// package of that directory, as it does through a link to the file itself
// (see linkTarget). It refuses a link that leads out of the main module
// or workspace. Only the directories below the ones that hold req.Dir
// count: a link above them is where the user works, not where -output
// points.
func throughDirLink(req *Request, file string) (string, error) {
	dir := filepath.Dir(file)
	link := ""
	for d := dir; !gomod.LexicallyWithin(req.Dir, d); d = filepath.Dir(d) {
		if fi, err := os.Lstat(d); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if _, err := os.Stat(d); err != nil {
				to, _ := os.Readlink(d)
				if errors.Is(err, fs.ErrNotExist) {
					return "", pathmsg.Errorf("-output %s: %s is a symbolic link to %s, which does not exist; create it or remove the link", req.Output, pathmsg.Path(d), to)
				}
				return "", pathmsg.Errorf("-output %s: %s is a symbolic link to %s, which cannot be followed (%v); fix the link or give -output another file", req.Output, pathmsg.Path(d), to, errors.Unwrap(err))
			}
			link = d // the outermost one is the one the user wrote first
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if link == "" {
		return file, nil
	}
	real, err := resolveLinks(req.Dir, dir)
	if err != nil {
		return "", pathmsg.Errorf("-output %s: %w", req.Output, err)
	}
	if _, err := gomod.ImportPath(req.Dir, real); err != nil {
		if out, ok := errors.AsType[*gomod.OutsideError](err); ok {
			fix := pathmsg.Sprintf("remove the link or give -output another file")
			if out.Fix != nil {
				fix = pathmsg.Sprintf("%s %s", out.Fix, fix)
			}
			return "", pathmsg.Errorf("-output %s: %s is a symbolic link, so the file would be in directory %s, which %s; breakergen writes only inside the main module or workspace: %s", req.Output, pathmsg.Path(link), pathmsg.Path(real), out.Reason, fix)
		}
		return "", pathmsg.Errorf("-output %s: %w", req.Output, err)
	}
	return filepath.Join(real, filepath.Base(file)), nil
}

// resolveLinks is dir with the symbolic links of its existing part
// resolved, and spelled, where it can be, from the nearest directory of
// wd's path that holds it: the links above that directory, such as /tmp
// to /private/tmp on macOS or a link the user works through, are how every
// path of the run is spelled.
func resolveLinks(wd, dir string) (string, error) {
	existing := gomod.ExistingDir(dir)
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", err
	}
	rest, err := filepath.Rel(existing, dir)
	if err != nil {
		return "", err
	}
	real = filepath.Join(real, rest)
	for a := wd; ; a = filepath.Dir(a) {
		if ra, err := filepath.EvalSymlinks(a); err == nil && gomod.LexicallyWithin(real, ra) {
			if rel, err := filepath.Rel(ra, real); err == nil {
				return filepath.Join(a, rel), nil
			}
		}
		if filepath.Dir(a) == a {
			return real, nil
		}
	}
}

// sameModule reports whether the package of t is in the module of the
// current directory. In batch mode every package of the main module or
// workspace counts as the current one's: its wrappers go into its own
// directory.
func sameModule(req *Request, t *load.Target) (bool, error) {
	if !load.Writable(t) {
		return false, nil
	}
	wd := req.Dir
	if t.Dir == wd || t.Batch {
		return true, nil
	}
	gomod, err := gomod.Run(wd, "env", "GOMOD")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(gomod)) == t.Pkg.Module.GoMod, nil
}

// elsewhere is the output file in a directory other than that of the
// interfaces' package: its package's import path is the go command's
// answer for the directory, and every name it takes from the interfaces'
// package is qualified.
func elsewhere(req *Request, t *load.Target, file string) (*File, error) {
	dir := filepath.Dir(file)
	what := "the wrapper of " + req.Types[0]
	if len(req.Types) > 1 {
		what = "the wrappers of " + strings.Join(req.Types, " and ")
	}
	// Every error names the file, the types and what to do.
	where := pathmsg.Sprintf("-output %s: cannot write %s there", req.Output, what)
	fix := pathmsg.Sprintf("give -output a file in a package of your module")
	if req.Output == "" {
		where = pathmsg.Sprintf("cannot write %s, of package %s in another module, to %s in the current directory", what, t.Pkg.PkgPath, pathmsg.Path(file))
		fix = pathmsg.Sprintf("run breakergen in a package directory of your module, or give -output a file in one")
	}
	pkgPath, err := gomod.ImportPath(req.Dir, dir)
	if err != nil {
		if out, ok := errors.AsType[*gomod.OutsideError](err); ok {
			if out.Fix != nil {
				fix = pathmsg.Sprintf("%s %s", out.Fix, fix)
			}
			return nil, pathmsg.Errorf("%s: directory %s %s; breakergen writes only inside the main module or workspace: %s", where, pathmsg.Path(dir), out.Reason, fix)
		}
		return nil, pathmsg.Errorf("%s: %w", where, err)
	}
	if t.TestPkg || strings.HasSuffix(t.Pkg.ID, ".test]") && t.InTest {
		return nil, pathmsg.Errorf("%s: %s is declared in a _test.go file, which no other package can import; generate into its own package", where, req.Types[0])
	}
	if !model.Importable(t.Pkg.PkgPath, pkgPath) {
		if load.Writable(t) {
			return nil, pathmsg.Errorf("%s: package %s may not import %s, which is internal to another tree; give -output a file in a package of that tree", where, pkgPath, t.Pkg.PkgPath)
		}
		return nil, pathmsg.Errorf("%s: package %s may not import %s, which is internal to its module, so no package outside that module can wrap %s; declare an interface of your own with the methods you call and wrap that instead", where, pkgPath, t.Pkg.PkgPath, req.Types[0])
	}
	var name string
	names := packageNamesIn(dir, file)
	switch len(names) {
	case 0:
		name = defaultPackageName(pkgPath)
	case 1:
		name = names[0]
	default:
		return nil, pathmsg.Errorf("%s: directory %s holds packages %s, so the file's package is ambiguous; give -output a file in a directory of one package", where, pathmsg.Path(dir), strings.Join(names, " and "))
	}
	scope, declared := declaredIn(dir, file)
	return &File{Path: file, Dest: model.Dest{PkgPath: pkgPath, PkgName: name, Scope: scope, Declared: declared}, NewPkg: len(names) == 0 && !exists(file)}, nil
}

// defaultPackageName is the package name for a new directory: its last
// element, as an identifier.
func defaultPackageName(pkgPath string) string {
	base := path.Base(pkgPath)
	var b strings.Builder
	for _, r := range base {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || !token.IsIdentifier(b.String()) || token.IsKeyword(b.String()) {
		return "breakers"
	}
	return strings.ToLower(b.String())
}

// DefaultName is the name of the output file when -output is not given.
func DefaultName(req *Request, t *load.Target) string {
	if t.InTest {
		return strings.ToLower(req.Types[0]) + "_breaker_test.go"
	}
	return strings.ToLower(req.Types[0]) + "_breaker.go"
}
