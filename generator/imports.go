package generator

import (
	"fmt"
	"go/types"
	"slices"

	"github.com/dave/jennifer/jen"
)

// collectImports adds the packages that the wrapper of it refers to.
func collectImports(it *Interface, imports map[string]string) {
	add := func(t types.Type) {
		walkTypes(t, func(t types.Type) {
			var obj *types.TypeName
			switch t := t.(type) {
			case *types.Named:
				obj = t.Obj()
			case *types.Alias:
				obj = t.Obj()
			case *types.Basic:
				if t.Kind() == types.UnsafePointer {
					imports["unsafe"] = "unsafe"
				}
			}
			if obj != nil && obj.Pkg() != nil {
				imports[obj.Pkg().Path()] = obj.Pkg().Name()
			}
		})
	}
	add(it.Type)
	for _, tp := range it.TypeParams {
		add(tp.Constraint)
	}
	for _, m := range it.Methods {
		add(m.Sig)
	}
}

// walkTypes calls f for t and every type t is made of, each once.
func walkTypes(t types.Type, f func(types.Type)) {
	seen := map[types.Type]bool{}
	var visit func(types.Type)
	visit = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		f(t)
		switch t := t.(type) {
		case *types.Alias:
			for a := range t.TypeArgs().Types() {
				visit(a)
			}
		case *types.Named:
			for a := range t.TypeArgs().Types() {
				visit(a)
			}
		case *types.Pointer:
			visit(t.Elem())
		case *types.Slice:
			visit(t.Elem())
		case *types.Array:
			visit(t.Elem())
		case *types.Chan:
			visit(t.Elem())
		case *types.Map:
			visit(t.Key())
			visit(t.Elem())
		case *types.Signature:
			for v := range t.Params().Variables() {
				visit(v.Type())
			}
			for v := range t.Results().Variables() {
				visit(v.Type())
			}
		case *types.Struct:
			for fld := range t.Fields() {
				visit(fld.Type())
			}
		case *types.Interface:
			for i := range t.NumEmbeddeds() {
				visit(t.EmbeddedType(i))
			}
			for i := range t.NumExplicitMethods() {
				visit(t.ExplicitMethod(i).Type())
			}
		case *types.Union:
			for i := range t.Len() {
				visit(t.Term(i).Type())
			}
		case *types.TypeParam:
			// Its constraint belongs to the declaration, not to this use.
		}
	}
	visit(t)
}

// An importName is a package the generated file imports.
type importName struct {
	Pkg  string // the package's name
	Name string // the name it is imported under
}

// importNames names the imports of the generated file: each package by its
// own name unless that is taken by a package-level name of the output
// package, an earlier import (in path order) or a Go keyword or predeclared
// name, in which case by the name with a numeric suffix.
func importNames(imports map[string]string, scope map[string]bool) map[string]importName {
	taken := map[string]bool{}
	for name := range scope {
		taken[name] = true
	}
	out := map[string]importName{}
	// The runtime of generated code first, so it keeps its name.
	paths := append([]string{RuntimePath}, slices.DeleteFunc(sortedKeys(imports), func(p string) bool { return p == RuntimePath })...)
	for _, path := range paths {
		pkg, ok := imports[path]
		if !ok {
			continue
		}
		name := pkg
		for k := 1; taken[name] || jen.IsReservedWord(name); k++ {
			name = fmt.Sprintf("%s%d", pkg, k)
		}
		taken[name] = true
		out[path] = importName{Pkg: pkg, Name: name}
	}
	return out
}
