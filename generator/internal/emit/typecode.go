package emit

import (
	"go/types"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// typeCode returns the Go source for t as jennifer code. Named types and
// aliases are qualified with jen.Qual, so jennifer imports their packages and
// leaves types of the output package unqualified. Type parameters are written
// by the name in tparams when they are renamed, by their own name otherwise.
func typeCode(t types.Type, tparams map[*types.TypeParam]string) jen.Code {
	switch t := t.(type) {
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			return jen.Qual("unsafe", "Pointer")
		}
		return jen.Id(t.Name())
	case *types.Alias:
		return objCode(t.Obj(), t.TypeArgs(), tparams)
	case *types.Named:
		return objCode(t.Obj(), t.TypeArgs(), tparams)
	case *types.TypeParam:
		if name, ok := tparams[t]; ok {
			return jen.Id(name)
		}
		return jen.Id(t.Obj().Name())
	case *types.Pointer:
		return jen.Op("*").Add(typeCode(t.Elem(), tparams))
	case *types.Slice:
		return jen.Index().Add(typeCode(t.Elem(), tparams))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(typeCode(t.Elem(), tparams))
	case *types.Map:
		return jen.Map(typeCode(t.Key(), tparams)).Add(typeCode(t.Elem(), tparams))
	case *types.Chan:
		elem := typeCode(t.Elem(), tparams)
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(elem)
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(elem)
		}
		// chan (<-chan T): without the parentheses it would read as chan<- chan T.
		if c, ok := t.Elem().(*types.Chan); ok && c.Dir() == types.RecvOnly {
			elem = jen.Parens(elem)
		}
		return jen.Chan().Add(elem)
	case *types.Signature:
		return jen.Func().Add(signatureCode(t, nil, nil, tparams))
	case *types.Struct:
		fields := make([]jen.Code, t.NumFields())
		for i := range t.NumFields() {
			f := t.Field(i)
			var c *jen.Statement
			if f.Embedded() {
				c = jen.Add(typeCode(f.Type(), tparams))
			} else {
				c = jen.Id(f.Name()).Add(typeCode(f.Type(), tparams))
			}
			if tag := t.Tag(i); tag != "" {
				c.Add(tagCode(tag))
			}
			fields[i] = c
		}
		return jen.Struct(fields...)
	case *types.Interface:
		if t.IsImplicit() && t.NumEmbeddeds() == 1 {
			// A constraint written without interface{...}: [T ~int | string].
			return typeCode(t.EmbeddedType(0), tparams)
		}
		var items []jen.Code
		for i := range t.NumEmbeddeds() {
			items = append(items, typeCode(t.EmbeddedType(i), tparams))
		}
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			sig := m.Type().(*types.Signature)
			items = append(items, jen.Id(m.Name()).Add(signatureCode(sig, nil, nil, tparams)))
		}
		return jen.Interface(items...)
	case *types.Union:
		terms := make([]jen.Code, t.Len())
		for i := range t.Len() {
			term := t.Term(i)
			c := typeCode(term.Type(), tparams)
			if term.Tilde() {
				c = jen.Op("~").Add(c)
			}
			terms[i] = c
		}
		return jen.Union(terms...)
	case *types.Tuple:
		list := make([]jen.Code, t.Len())
		for i := range t.Len() {
			list[i] = typeCode(t.At(i).Type(), tparams)
		}
		return jen.List(list...)
	}
	// Unreachable for types that appear in a type-checked declaration.
	return jen.Id(types.TypeString(t, nil))
}

// objCode is a reference to a named type or alias, with its type arguments.
func objCode(obj *types.TypeName, targs *types.TypeList, tparams map[*types.TypeParam]string) jen.Code {
	var c *jen.Statement
	if obj.Pkg() == nil {
		c = jen.Id(obj.Name()) // error, comparable, any
	} else {
		c = jen.Qual(obj.Pkg().Path(), obj.Name())
	}
	if targs.Len() > 0 {
		args := make([]jen.Code, targs.Len())
		for i := range targs.Len() {
			args[i] = typeCode(targs.At(i), tparams)
		}
		c.Types(args...)
	}
	return c
}

// signatureCode is the parameter and result lists of sig, without "func".
// Parameters and results are named with params and results when those are
// given (one name per entry), unnamed otherwise.
func signatureCode(sig *types.Signature, params, results []string, tparams map[*types.TypeParam]string) *jen.Statement {
	ps := make([]jen.Code, sig.Params().Len())
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		var c *jen.Statement
		if sig.Variadic() && i == sig.Params().Len()-1 {
			c = jen.Op("...").Add(typeCode(t.(*types.Slice).Elem(), tparams))
		} else {
			c = jen.Add(typeCode(t, tparams))
		}
		if params != nil {
			c = jen.Id(params[i]).Add(c)
		}
		ps[i] = c
	}
	s := jen.Params(ps...)
	n := sig.Results().Len()
	switch {
	case n == 0:
	case n == 1 && results == nil:
		s.Add(typeCode(sig.Results().At(0).Type(), tparams))
	default:
		rs := make([]jen.Code, n)
		for i := range n {
			c := jen.Add(typeCode(sig.Results().At(i).Type(), tparams))
			if results != nil {
				c = jen.Id(results[i]).Add(c)
			}
			rs[i] = c
		}
		s.Params(rs...)
	}
	return s
}

// tagCode is a struct tag as a raw string literal when it can be one.
func tagCode(tag string) jen.Code {
	if !strings.Contains(tag, "`") && !strings.ContainsAny(tag, "\r") {
		return jen.Op("`" + tag + "`")
	}
	return jen.Op(strconv.Quote(tag))
}
