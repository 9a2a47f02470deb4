package generator

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An ifaceModel is the model of one interface to wrap: what emit needs to
// know, and nothing about how it was loaded.
type ifaceModel struct {
	Name       string        // the type name given to -type: AgentClient
	PkgPath    string        // the import path of the package that declares it
	Type       types.Type    // the declared type, a *types.Named or *types.Alias
	TypeParams []tparamModel // type parameters of a generic interface
	Methods    []methodModel // in output order: see methodOrder
	Recv       string        // receiver name of the generated methods
}

// A tparamModel is a type parameter of a generic interface.
type tparamModel struct {
	Name       string // the name in the output; never blank
	Param      *types.TypeParam
	Constraint types.Type
}

// A methodModel is one method of the interface.
type methodModel struct {
	Name     string
	Sig      *types.Signature
	Params   []string // allocated parameter names, one per parameter
	Results  []string // allocated result names, one per result; the last is the error variable of a guarded method
	Permit   string   // name of the permit variable of a guarded method
	Guarded  bool     // the last result is error: the call goes through the breaker
	Context  bool     // guarded, and the first parameter is a context.Context
	Unguard  string   // why an unguarded method is not guarded
	Exported bool
	PkgPath  string // the package that declares the method
}

// Reasons a method passes through without the breaker.
const (
	reasonNoError  = "it has no error result to report a rejection with"
	reasonSkip     = "its declaration is marked //breakergen:skip"
	reasonSkipEmb  = "the interface that brings it in is embedded with //breakergen:skip"
	reasonSkipFlag = "it is listed in -skip"
)

// Names the generated methods use for their own variables, when the
// interface's parameters and results leave them free.
const (
	recvName   = "b"
	permitName = "p"
	errName    = "err"
)

// newInterface builds the model of the interface type named by obj, with
// the skip directives and element order of syntax, which may be nil; the
// methods named in skip pass through unguarded too. Parameters and results
// keep the interface's names (see allocNames); type parameters, the
// receiver and the permit avoid the names in avoid, those of the file's
// imports.
func newInterface(obj *types.TypeName, syntax *syntaxIndex, avoid map[string]bool, skip []string) (*ifaceModel, error) {
	t := obj.Type()
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return nil, fmt.Errorf("%s is not an interface", obj.Name())
	}
	if !iface.IsMethodSet() {
		return nil, fmt.Errorf("%s is a constraint interface: its type set is not just methods, so no type can implement it; use it as a type parameter constraint or wrap an interface of methods", obj.Name())
	}
	m := &ifaceModel{Name: obj.Name(), Type: t}
	if obj.Pkg() != nil {
		m.PkgPath = obj.Pkg().Path()
	}
	tps := typeParams(t)
	reserved := map[string]bool{}
	for name := range avoid {
		reserved[name] = true
	}
	for i := range tps.Len() {
		if name := tps.At(i).Obj().Name(); name != "_" && !avoid[name] {
			reserved[name] = true
		}
	}
	for i := range tps.Len() {
		tp := tps.At(i)
		name := tp.Obj().Name()
		switch {
		case name == "_":
			name = fresh(fmt.Sprintf("T%d", i), reserved)
			reserved[name] = true
		case avoid[name]:
			name = fresh(name, reserved)
			reserved[name] = true
		}
		m.TypeParams = append(m.TypeParams, tparamModel{Name: name, Param: tp, Constraint: tp.Constraint()})
	}
	order, skipped := methodOrder(obj, iface, syntax)
	for _, name := range skip {
		if _, ok := skipped[name]; !ok {
			skipped[name] = reasonSkipFlag
		}
	}
	// The receiver and the permit keep their names in every method; a
	// parameter or result with one of those names is renamed in its
	// method only.
	scope := map[string]bool{}
	for _, tp := range m.TypeParams {
		scope[tp.Name] = true
	}
	m.Recv = receiverName(obj.Name(), reserved)
	scope[m.Recv] = true
	for _, name := range order {
		fn := methodByName(iface, name)
		sig := fn.Type().(*types.Signature)
		meth := methodModel{Name: name, Sig: sig, Exported: fn.Exported()}
		if fn.Pkg() != nil {
			meth.PkgPath = fn.Pkg().Path()
		}
		res := sig.Results()
		if res.Len() > 0 && isError(res.At(res.Len()-1).Type()) {
			meth.Guarded = true
		} else {
			meth.Unguard = reasonNoError
		}
		if why, ok := skipped[name]; ok && meth.Guarded {
			meth.Guarded = false
			meth.Unguard = why
		}
		meth.Context = meth.Guarded && sig.Params().Len() > 0 && isContext(sig.Params().At(0).Type())
		local := scope
		if meth.Guarded {
			taken := maps.Clone(scope)
			maps.Copy(taken, avoid)
			meth.Permit = fresh(permitName, taken)
			local = maps.Clone(scope)
			local[meth.Permit] = true
		}
		meth.Params, meth.Results = allocNames(sig, meth.Guarded, local)
		m.Methods = append(m.Methods, meth)
	}
	return m, nil
}

// methodOrder lists the method names of iface, declared as obj, in the
// order the output uses: source order, with the methods of an embedded
// interface in its place, in its own source order, recursively; each method
// once, where it first appears. An interface whose source is not at hand
// (one from another package, loaded from export data) lists its own methods
// in declaration order and then its embedded interfaces in order. This
// keeps the wrapper in the order a reader of the interface sees;
// types.Interface.Method sorts by name.
//
// It also reports the methods marked //breakergen:skip where they first
// appear: on the method, or on an embedded interface that brings it.
func methodOrder(obj *types.TypeName, iface *types.Interface, syntax *syntaxIndex) (names []string, skipped map[string]string) {
	seen := map[string]bool{}
	skipped = map[string]string{}
	add := func(name string, skip string) {
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
			if skip != "" {
				skipped[name] = skip
			}
		}
	}
	var walk func(it *types.Interface, src *ast.InterfaceType, skip string)
	embedded := func(it *types.Interface, i int, skip string) {
		e, ok := it.EmbeddedType(i).Underlying().(*types.Interface)
		if !ok {
			return
		}
		var src *ast.InterfaceType
		if n, ok := types.Unalias(it.EmbeddedType(i)).(*types.Named); ok {
			src = syntax.decl(n.Obj())
		}
		walk(e, src, skip)
	}
	walk = func(it *types.Interface, src *ast.InterfaceType, skip string) {
		if src == nil {
			src = syntax.source(it)
		}
		if src != nil && countEmbeds(src) == it.NumEmbeddeds() {
			k := 0
			for _, field := range src.Methods.List {
				if len(field.Names) > 0 {
					if skip == "" && syntax.skipField(field) {
						add(field.Names[0].Name, reasonSkip)
					} else {
						add(field.Names[0].Name, skip)
					}
					continue
				}
				if skip == "" && syntax.skipField(field) {
					embedded(it, k, reasonSkipEmb)
				} else {
					embedded(it, k, skip)
				}
				k++
			}
			return
		}
		var own []*types.Func
		for i := range it.NumExplicitMethods() {
			own = append(own, it.ExplicitMethod(i))
		}
		slices.SortStableFunc(own, func(a, b *types.Func) int { return int(a.Pos()) - int(b.Pos()) })
		for _, fn := range own {
			add(fn.Name(), skip)
		}
		for i := range it.NumEmbeddeds() {
			embedded(it, i, skip)
		}
	}
	walk(iface, syntax.decl(obj), "")
	// The complete method set is the authority: anything the walk missed
	// (none in practice) goes last, sorted.
	for i := range iface.NumMethods() {
		add(iface.Method(i).Name(), "")
	}
	return names, skipped
}

// countEmbeds counts the embedded elements of an interface's syntax.
func countEmbeds(it *ast.InterfaceType) int {
	n := 0
	for _, field := range it.Methods.List {
		if len(field.Names) == 0 {
			n++
		}
	}
	return n
}

func methodByName(iface *types.Interface, name string) *types.Func {
	for i := range iface.NumMethods() {
		if fn := iface.Method(i); fn.Name() == name {
			return fn
		}
	}
	return nil
}

// isError reports whether t is the predeclared error type or an alias of it.
func isError(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == nil && n.Obj().Name() == "error"
}

// isContext reports whether t is context.Context or an alias of it.
func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// allocNames names the parameters and results of a generated method.
// Names from the interface are kept unless they are blank or taken by a
// name in scope (the receiver, a type parameter) or by nil, which the body
// uses; unnamed parameters become p0, p1..., unnamed results r0, r1..., and
// an unnamed error result of a guarded method err, each avoiding the names
// the interface gives. A clash gets a numeric suffix. Package names need
// no care: the parameters' scope is the body, which names no package.
func allocNames(sig *types.Signature, guarded bool, scope map[string]bool) (params, results []string) {
	taken := maps.Clone(scope)
	taken["nil"] = true
	n, nr := sig.Params().Len(), sig.Results().Len()
	params = make([]string, n)
	results = make([]string, nr)
	type slot struct {
		dst  *string
		name string // the name in the interface, or "" if unnamed or blank
		auto string // the name to use when name is "" : p0, r1, err
	}
	var slots []slot
	add := func(dst *string, v *types.Var, auto string) {
		name := v.Name()
		if name == "_" {
			name = ""
		}
		slots = append(slots, slot{dst, name, auto})
	}
	for i := range n {
		add(&params[i], sig.Params().At(i), fmt.Sprintf("p%d", i))
	}
	for i := range nr {
		auto := fmt.Sprintf("r%d", i)
		if guarded && i == nr-1 {
			auto = errName
		}
		add(&results[i], sig.Results().At(i), auto)
	}
	// The interface's own names first, so that a generated name never
	// takes one the interface uses.
	for _, s := range slots {
		if s.name != "" && !taken[s.name] {
			taken[s.name] = true
			*s.dst = s.name
		}
	}
	// Then the error result, so that it is err wherever it can be.
	if guarded && results[nr-1] == "" {
		s := slots[len(slots)-1]
		base := s.name
		if base == "" {
			base = s.auto
		}
		results[nr-1] = fresh(base, taken)
		taken[results[nr-1]] = true
	}
	for _, s := range slots {
		if *s.dst != "" {
			continue
		}
		base := s.name
		if base == "" {
			base = s.auto
		}
		*s.dst = fresh(base, taken)
		taken[*s.dst] = true
	}
	return params, results
}

// receiverName is the receiver of the wrapper of the interface name: b,
// else the interface's initial in lower case, else b with a suffix; the
// first that is not taken.
func receiverName(name string, taken map[string]bool) string {
	initial, _ := utf8.DecodeRuneInString(name)
	for _, c := range []string{recvName, string(unicode.ToLower(initial))} {
		if token.IsIdentifier(c) && !taken[c] {
			return c
		}
	}
	return fresh(recvName, taken)
}

// fresh returns base, or base with the smallest numeric suffix that makes
// it a name not in taken.
func fresh(base string, taken map[string]bool) string {
	name := base
	for k := 1; taken[name]; k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	return name
}

// exported reports whether name starts with an upper-case letter.
func exported(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsUpper(r)
}

// upperFirst returns name with its first letter in upper case.
func upperFirst(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
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
