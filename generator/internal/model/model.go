package model

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/breakergen/breakergen/generator/internal/typewalk"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// An Interface is the model of one interface to wrap: what emit needs to
// know, and nothing about how it was loaded. newInterface builds it once;
// nameFile then fills in the names (Recv, Decl, and those of type
// parameters, parameters, results and permits).
type Interface struct {
	Name       string        // the type name given to -type: AgentClient
	PkgPath    string        // the import path of the package that declares it
	Type       types.Type    // the declared type, a *types.Named or *types.Alias
	TypeParams []tparamModel // type parameters of a generic interface
	Methods    []Method      // in output order: see methodOrder
	Recv       string        // receiver name of the generated methods
	Decl       DeclNames     // names of the generated declarations
}

// A tparamModel is a type parameter of a generic interface.
type tparamModel struct {
	Name       string // the name in the output; never blank
	Param      *types.TypeParam
	Constraint types.Type
}

// A Method is one method of the interface.
type Method struct {
	Name    string
	Sig     *types.Signature
	Params  []string // allocated parameter names, one per parameter
	Results []string // allocated result names, one per result; the last is the error variable of a guarded method
	Permit  string   // name of the permit variable of a guarded method
	Guarded bool     // the last result is error, or carries one: the call goes through the breaker
	Context bool     // guarded, and the first parameter is a context.Context
	// ResultErr is set for a guarded method whose last result carries
	// its error (Err() error) instead of an error result: the wrapper
	// reports its Err, and a rejection is a new result whose SetErr holds
	// it. ResultPtr says the result is a pointer (new(T)), ErrVar names the
	// error variable.
	ResultErr bool
	ResultPtr bool
	ErrVar    string
	Unguard   string // why an unguarded method is not guarded
	Exported  bool
	PkgPath   string // the package that declares the method
}

// Reasons a method passes through without the breaker.
const (
	ReasonSkip     = "its declaration is marked //breakergen:skip"
	ReasonSkipEmb  = "the interface that brings it in is embedded with //breakergen:skip"
	ReasonSkipFlag = "it is listed in -skip"
)

// newInterface builds the model of the interface type named by obj, with
// the skip directives and element order of syntax, which may be nil; the
// methods named in skip pass through unguarded too. Its type parameters
// keep their own names until nameTypeParams names the blank ones T0,
// T1...; nameFile chooses the other names once the file's imports are
// known.
func newInterface(obj *types.TypeName, syntax *syntaxIndex, skip []string, resultErr bool) (*Interface, error) {
	t := obj.Type()
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return nil, pathmsg.Errorf("%s is not an interface", obj.Name())
	}
	if !iface.IsMethodSet() {
		return nil, pathmsg.Errorf("%s is a constraint interface: its type set is not just methods, so no type can implement it; use it as a type parameter constraint or wrap an interface of methods", obj.Name())
	}
	m := &Interface{Name: obj.Name(), Type: t}
	if obj.Pkg() != nil {
		m.PkgPath = obj.Pkg().Path()
	}
	tps := typewalk.TypeParams(t)
	for i := range tps.Len() {
		m.TypeParams = append(m.TypeParams, tparamModel{Param: tps.At(i), Constraint: tps.At(i).Constraint()})
	}
	order, skipped := methodOrder(obj, iface, syntax)
	for _, name := range skip {
		if _, ok := skipped[name]; !ok {
			skipped[name] = ReasonSkipFlag
		}
	}
	for _, name := range order {
		fn := MethodByName(iface, name)
		sig := fn.Type().(*types.Signature)
		meth := Method{Name: name, Sig: sig, Exported: fn.Exported()}
		if fn.Pkg() != nil {
			meth.PkgPath = fn.Pkg().Path()
		}
		meth.Guarded, meth.ResultErr, meth.ResultPtr, meth.Unguard = guard(sig, resultErr)
		if why, ok := skipped[name]; ok && meth.Guarded {
			meth.Guarded, meth.ResultErr, meth.ResultPtr = false, false, false
			meth.Unguard = why
		}
		if meth.ResultErr && !canCarry(sig.Results().At(sig.Results().Len()-1).Type()) {
			last := sig.Results().At(sig.Results().Len() - 1).Type()
			byName := func(p *types.Package) string { return p.Name() }
			return nil, pathmsg.Errorf("%s returns %s, whose Err reports how the call went, but a rejection cannot be put in one: it has no SetErr(error) method, or is not a concrete type breakergen can make; skip %s (-skip=%s or //breakergen:skip), or wrap without -result-err", name, types.TypeString(last, byName), name, name)
		}
		meth.Context = meth.Guarded && sig.Params().Len() > 0 && isContext(sig.Params().At(0).Type())
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
	o := &orderer{syntax: syntax, seen: map[string]bool{}, skipped: map[string]string{}}
	o.walk(iface, syntax.decl(obj), "")
	// The complete method set is the authority: anything the walk missed
	// (none in practice) goes last, sorted.
	for i := range iface.NumMethods() {
		o.add(iface.Method(i).Name(), "")
	}
	return o.names, o.skipped
}

// An orderer is the state of methodOrder.
type orderer struct {
	syntax  *syntaxIndex
	seen    map[string]bool
	names   []string
	skipped map[string]string
}

// add puts the method name next, unless it is there already, skipped for
// the reason skip if it is not "".
func (o *orderer) add(name string, skip string) {
	if o.seen[name] {
		return
	}
	o.seen[name] = true
	o.names = append(o.names, name)
	if skip != "" {
		o.skipped[name] = skip
	}
}

// walk adds the methods of it, declared by src (or nil if unknown), in
// source order when the source matches, else in the order of positions.
func (o *orderer) walk(it *types.Interface, src *ast.InterfaceType, skip string) {
	if src == nil {
		src = o.syntax.source(it)
	}
	if src != nil && countEmbeds(src) == it.NumEmbeddeds() {
		o.walkSource(it, src, skip)
		return
	}
	var own []*types.Func
	for i := range it.NumExplicitMethods() {
		own = append(own, it.ExplicitMethod(i))
	}
	slices.SortStableFunc(own, func(a, b *types.Func) int { return int(a.Pos()) - int(b.Pos()) })
	for _, fn := range own {
		o.add(fn.Name(), skip)
	}
	for i := range it.NumEmbeddeds() {
		o.embedded(it, i, skip)
	}
}

// walkSource is walk in the order of src, whose elements a
// //breakergen:skip line may skip.
func (o *orderer) walkSource(it *types.Interface, src *ast.InterfaceType, skip string) {
	k := 0
	for _, field := range src.Methods.List {
		skipHere := skip == "" && o.syntax.skipField(field)
		switch {
		case len(field.Names) > 0 && skipHere:
			o.add(field.Names[0].Name, ReasonSkip)
		case len(field.Names) > 0:
			o.add(field.Names[0].Name, skip)
		case skipHere:
			o.embedded(it, k, ReasonSkipEmb)
			k++
		default:
			o.embedded(it, k, skip)
			k++
		}
	}
}

// embedded walks the i-th interface that it embeds.
func (o *orderer) embedded(it *types.Interface, i int, skip string) {
	e, ok := it.EmbeddedType(i).Underlying().(*types.Interface)
	if !ok {
		return
	}
	var src *ast.InterfaceType
	if n, ok := types.Unalias(it.EmbeddedType(i)).(*types.Named); ok {
		src = o.syntax.decl(n.Obj())
	}
	o.walk(e, src, skip)
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

func MethodByName(iface *types.Interface, name string) *types.Func {
	for i := range iface.NumMethods() {
		if fn := iface.Method(i); fn.Name() == name {
			return fn
		}
	}
	return nil
}

// isContext reports whether t is context.Context or an alias of it.
func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// A File is what package emit writes into one output file.
type File struct {
	PkgPath    string       // import path of the output package
	PkgName    string       // name of the output package
	Header     string       // the first line, a comment: see typeHeader and batchHeader
	Build      string       // the expression of a //go:build line, or ""
	PerMethod  bool         // one breaker per method from a runtime.Set
	Interfaces []*Interface // in the order of -type
	// Imports maps the import paths the file uses to the names it uses
	// them under. The runtime is among them.
	Imports map[string]importName
}

// DeclNames are the names of the declarations generated for one interface.
type DeclNames struct {
	Wrapper, Ctor  string            // AgentClientBreaker, NewAgentClientBreaker
	Next, CB       string            // struct fields
	Accessor       string            // Breaker or Breakers; "" when the interface has a method of that name
	ArgNext, ArgCB string            // constructor parameters
	MethodCB       map[string]string // the fields of the breakers of guarded methods, with perMethod
}

// An importName is a package the generated file imports.
type importName struct {
	Pkg  string // the package's name
	Name string // the name it is imported under
}

// RuntimePath is the import path of the package generated code calls.
const RuntimePath = "github.com/breakergen/breakergen/runtime"

// A Dest is where the file of a model goes, as the output stage decides:
// its package, and the names declared there already.
type Dest struct {
	PkgPath string          // import path of the package
	PkgName string          // name of the package
	Scope   map[string]bool // names declared at package level there
	// declared maps the package-level names declared in files other than
	// the output and files written by breakergen to their positions.
	Declared map[string]string
}
