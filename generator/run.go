package generator

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Run loads the package, builds the model of the requested interfaces,
// emits the wrappers and writes them (or, with Check, compares them with
// the file on disk). Without Types it runs in batch mode (see Config).
// Nothing is written when it returns an error.
func Run(cfg Config) error {
	if len(cfg.Types) == 0 {
		return runBatch(cfg)
	}
	for i, name := range cfg.Types {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-type: %q is not a Go identifier", name)}
		}
		if slices.Contains(cfg.Types[:i], name) {
			return &UsageError{fmt.Sprintf("-type: %s is listed twice", name)}
		}
	}
	for _, pat := range cfg.Patterns {
		if strings.Contains(pat, "...") {
			return &UsageError{fmt.Sprintf("-type names interfaces of one package, but %s matches many: drop -type to generate every interface marked %s there, or name one package", pat, generateDirective)}
		}
	}
	if err := checkSkip(cfg.Skip); err != nil {
		return err
	}
	cfg.Tags, cfg.Skip = sortedSet(cfg.Tags), sortedSet(cfg.Skip)
	build, err := buildExpr(cfg.Tags)
	if err != nil {
		return err
	}
	t, err := load(&cfg)
	if err != nil {
		return err
	}
	r, err := generate(&cfg, t, build, func(out *output) string { return typeHeader(&cfg, t, out) })
	if err != nil {
		return err
	}
	if cfg.Check {
		return check(cfg.Dir, r.dest, r.src)
	}
	if err := write(cfg.Dir, r.dest, r.src); err != nil {
		return err
	}
	for _, line := range append(notes(&cfg, t, r.out, r.file), requireNote(&cfg, r.out)...) {
		notef(&cfg, "%s", line)
	}
	return nil
}

// checkSkip says whether the names given to -skip are identifiers.
func checkSkip(skip []string) error {
	for _, name := range skip {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-skip: %q is not a method name", name)}
		}
	}
	return nil
}

// A rendered file is the wrappers of one target: where they go, their
// model and their source.
type rendered struct {
	out  *output
	dest string // the file to write: out.file, or where a symbolic link there points
	file *outFile
	src  []byte
}

// generate decides where the wrappers of the interfaces of t go, renders
// them with the build constraint build and the header that header makes
// for that output, and checks that they can be written there.
func generate(cfg *Config, t *target, build string, header func(*output) string) (*rendered, error) {
	out, err := outputFor(cfg, t)
	if err != nil {
		return nil, err
	}
	file, err := model(cfg, t, out)
	if err != nil {
		return nil, err
	}
	file.Build = build
	file.Header = header(out)
	src, err := emit(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Types[0], err)
	}
	dest, err := checkOutput(cfg, t, out)
	if err != nil {
		return nil, err
	}
	return &rendered{out: out, dest: dest, file: file, src: src}, nil
}

// model builds the model of the output file, or says why the interfaces
// cannot be wrapped there.
func model(cfg *Config, t *target, out *output) (*outFile, error) {
	syntax := newSyntax(t.pkg.Syntax)
	// First the models as declared, to learn which packages the file
	// imports; then again with the generated names avoiding those imports.
	imports := map[string]string{runtimePath: "runtime"}
	var first []*ifaceModel
	for _, obj := range t.objs {
		pos := position(cfg, t.pkg.Fset, obj.Pos())
		it, err := newInterface(obj, syntax, nil, cfg.Skip)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pos, err)
		}
		first = append(first, it)
		if err := checkExported(it, obj, out.pkgPath, writable(t)); err != nil {
			return nil, fmt.Errorf("%s: %w", pos, err)
		}
		for _, name := range []string{wrapperName(obj.Name()), ctorName(obj.Name())} {
			if at, ok := out.declared[name]; ok {
				return nil, fmt.Errorf("%s: cannot wrap %s: %s is already declared at %s; rename one of them", pos, obj.Name(), name, relPos(cfg.Dir, at))
			}
		}
		collectImports(it, imports)
		if out.pkgPath != t.pkg.PkgPath {
			for _, path := range sortedKeys(imports) {
				if path == out.pkgPath || importable(path, out.pkgPath) {
					continue
				}
				if !writable(t) {
					return nil, fmt.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another module, so no package outside that module can wrap %s; declare in your package an interface with the methods you call that do not use it, and wrap that instead", pos, it.Name, out.pkgPath, path, it.Name)
				}
				return nil, fmt.Errorf("%s: cannot wrap %s in package %s: its methods use package %s, which is internal to another tree; generate into package %s instead", pos, it.Name, out.pkgPath, path, t.pkg.Name)
			}
		}
	}
	if err := unknownSkip(cfg.Skip, first); err != nil {
		return nil, err
	}
	delete(imports, out.pkgPath)
	file := &outFile{
		PkgPath:   out.pkgPath,
		PkgName:   out.pkgName,
		PerMethod: cfg.PerMethod,
		Imports:   importNames(imports, out.scope, sourceImportNames(t.pkg.Types, t.pkg.Syntax, t.pkg.Fset, t.objs)),
	}
	avoid := map[string]bool{}
	for _, imp := range file.Imports {
		avoid[imp.Name] = true
	}
	for _, obj := range t.objs {
		it, err := newInterface(obj, syntax, avoid, cfg.Skip)
		if err != nil {
			return nil, err
		}
		file.Interfaces = append(file.Interfaces, it)
	}
	return file, nil
}

// unknownSkip says which name given to -skip is a method of none of the
// interfaces, and lists their methods.
func unknownSkip(skip []string, its []*ifaceModel) error {
	var methods, names []string
	for _, it := range its {
		names = append(names, it.Name)
		for _, m := range it.Methods {
			if !slices.Contains(methods, m.Name) {
				methods = append(methods, m.Name)
			}
		}
	}
	for _, name := range skip {
		switch {
		case slices.Contains(methods, name):
			continue
		case len(methods) == 0:
			return fmt.Errorf("-skip: %s has no methods; remove -skip", strings.Join(names, ", "))
		case len(its) == 1:
			return fmt.Errorf("-skip: %s has no method %s; its methods are %s", names[0], name, strings.Join(methods, ", "))
		}
		return fmt.Errorf("-skip: none of %s has a method %s; their methods are %s", strings.Join(names, ", "), name, strings.Join(methods, ", "))
	}
	return nil
}

// position formats pos relative to the working directory.
func position(cfg *Config, fset *token.FileSet, pos token.Pos) string {
	return relPos(cfg.Dir, fset.Position(pos).String())
}
