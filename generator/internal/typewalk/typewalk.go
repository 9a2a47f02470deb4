package typewalk

import "go/types"

// Walk calls f for t and every type t is made of, each once.
func Walk(t types.Type, f func(types.Type)) {
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

// namedOrAlias is what *types.Named and *types.Alias have in common.
type namedOrAlias interface {
	Obj() *types.TypeName
	TypeParams() *types.TypeParamList
}

// TypeParams returns the type parameters of a named type or an alias, nil
// for other types.
func TypeParams(t types.Type) *types.TypeParamList {
	if n, ok := t.(namedOrAlias); ok {
		return n.TypeParams()
	}
	return nil
}

// Named returns the object of a named type or an alias, nil for other
// types.
func Named(t types.Type) *types.TypeName {
	if n, ok := t.(namedOrAlias); ok {
		return n.Obj()
	}
	return nil
}

// Incomplete reports whether the interface declared as obj has an invalid
// type, left by a type error: as its own type, in the constraints of its
// type parameters, among the types it embeds or in the signatures of its
// methods, embedded ones included. Code generated from it would not match
// the interface.
func Incomplete(obj *types.TypeName) bool {
	bad := false
	check := func(t types.Type) {
		Walk(t, func(t types.Type) {
			if b, ok := t.(*types.Basic); ok && b.Kind() == types.Invalid {
				bad = true
			}
		})
	}
	for tp := range TypeParams(obj.Type()).TypeParams() {
		check(tp.Constraint())
	}
	if it, ok := obj.Type().Underlying().(*types.Interface); ok {
		for t := range it.EmbeddedTypes() {
			check(t)
		}
		for m := range it.Methods() {
			check(m.Type())
		}
	} else {
		check(obj.Type().Underlying())
	}
	return bad
}
