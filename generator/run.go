package generator

import (
	"fmt"
	"go/token"
	"slices"
)

// Run loads the package, builds the model of the requested interfaces,
// emits the wrappers and writes them (or, with Check, compares them with
// the file on disk). Nothing is written when it returns an error.
func Run(cfg Config) error {
	if len(cfg.Types) == 0 {
		return &UsageError{"-type is required"}
	}
	for i, name := range cfg.Types {
		if !token.IsIdentifier(name) {
			return &UsageError{fmt.Sprintf("-type: %q is not a Go identifier", name)}
		}
		if slices.Contains(cfg.Types[:i], name) {
			return &UsageError{fmt.Sprintf("-type: %s is listed twice", name)}
		}
	}
	build, err := buildExpr(cfg.Tags)
	if err != nil {
		return err
	}
	t, err := load(&cfg)
	if err != nil {
		return err
	}
	out, err := outputFor(&cfg, t)
	if err != nil {
		return err
	}
	file, err := model(&cfg, t, out)
	if err != nil {
		return err
	}
	file.Build = build
	src, err := emit(file)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Types[0], err)
	}
	dest, err := checkOutput(&cfg, t, out)
	if err != nil {
		return err
	}
	if cfg.Check {
		return check(cfg.Dir, dest, src)
	}
	if err := write(cfg.Dir, dest, src); err != nil {
		return err
	}
	if cfg.Note != nil {
		for _, line := range append(notes(&cfg, t, out, file), requireNote(&cfg, out)...) {
			cfg.Note(line)
		}
	}
	return nil
}

// model builds the model of the output file, or says why the interfaces
// cannot be wrapped there.
func model(cfg *Config, t *target, out *output) (*outFile, error) {
	syntax := newSyntax(t.pkg.Syntax)
	// First the models as declared, to learn which packages the file
	// imports; then again with the generated names avoiding those imports.
	imports := map[string]string{RuntimePath: "runtime"}
	for _, obj := range t.objs {
		pos := position(cfg, t.pkg.Fset, obj.Pos())
		it, err := newInterface(obj, syntax, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pos, err)
		}
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
	delete(imports, out.pkgPath)
	file := &outFile{
		PkgPath:   out.pkgPath,
		PkgName:   out.pkgName,
		Args:      cfg.Args,
		PerMethod: cfg.PerMethod,
		Imports:   importNames(imports, out.scope, sourceImportNames(t.pkg.Types, t.pkg.Syntax, t.pkg.Fset, t.objs)),
	}
	avoid := map[string]bool{}
	for _, imp := range file.Imports {
		avoid[imp.Name] = true
	}
	for _, obj := range t.objs {
		it, err := newInterface(obj, syntax, avoid)
		if err != nil {
			return nil, err
		}
		file.Interfaces = append(file.Interfaces, it)
	}
	return file, nil
}

// position formats pos relative to the working directory.
func position(cfg *Config, fset *token.FileSet, pos token.Pos) string {
	return relPos(cfg.Dir, fset.Position(pos).String())
}
