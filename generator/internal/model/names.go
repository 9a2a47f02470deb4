package model

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Names the generated methods use for their own variables, when the
// interface's parameters and results leave them free.
const (
	recvName   = "b"
	permitName = "p"
	errName    = "err"
)

// nameFile chooses every name of f: the names its imports go under (see
// importNames), then for each interface those of its type parameters,
// receiver, permits, parameters and results (see nameInterface), which
// avoid the imports, and of its declarations (see nameDecls). imports maps
// the import paths the interfaces use to their packages' names; pkgScope
// holds the package-level names of the output package; srcNames the names
// the interfaces' own files import packages under.
func nameFile(f *File, imports map[string]string, pkgScope map[string]bool, srcNames map[string]string) {
	f.Imports = importNames(imports, pkgScope, srcNames)
	avoid := scope{}
	for _, imp := range f.Imports {
		avoid[imp.Name] = true
	}
	for _, it := range f.Interfaces {
		nameInterface(it, avoid)
		it.Decl = nameDecls(it, f.PerMethod)
	}
}

// nameDecls names the declarations of the wrapper of it, after
// nameInterface: the constructor's parameters avoid the type parameters;
// the fields and the accessor share the wrapper's method namespace.
func nameDecls(it *Interface, perMethod bool) DeclNames {
	n := DeclNames{Wrapper: WrapperName(it.Name), Ctor: CtorName(it.Name), MethodCB: map[string]string{}}
	params := scope{}
	for _, tp := range it.TypeParams {
		params[tp.Name] = true
	}
	n.ArgNext = params.fresh("next")
	members := scope{}
	for _, m := range it.Methods {
		members[m.Name] = true
	}
	n.Accessor = "Breaker"
	cb := "cb"
	if perMethod {
		n.Accessor, cb = "Breakers", "set"
	}
	n.ArgCB = params.fresh(cb)
	if members[n.Accessor] {
		n.Accessor = ""
	} else {
		members[n.Accessor] = true
	}
	n.Next = members.fresh("next")
	n.CB = members.fresh(cb)
	if perMethod {
		for _, m := range it.Methods {
			if m.Guarded {
				n.MethodCB[m.Name] = members.fresh("cb" + upperFirst(m.Name))
			}
		}
	}
	return n
}

// nameTypeParams names the type parameters of it: their own names, unless
// blank (T0, T1...) or among avoid (a suffix), and unlike the others.
// It returns the names taken, those of avoid included.
func nameTypeParams(it *Interface, avoid scope) scope {
	reserved := avoid.with()
	for _, tp := range it.TypeParams {
		if name := tp.Param.Obj().Name(); name != "_" && !avoid[name] {
			reserved[name] = true
		}
	}
	for i := range it.TypeParams {
		tp := &it.TypeParams[i]
		switch name := tp.Param.Obj().Name(); {
		case name == "_":
			tp.Name = reserved.fresh(fmt.Sprintf("T%d", i))
		case avoid[name]:
			tp.Name = reserved.fresh(name)
		default:
			tp.Name = name
		}
	}
	return reserved
}

// nameInterface names what the methods of the wrapper of it declare: the
// type parameters (see nameTypeParams), the receiver and the permit avoid
// the names in avoid, those of the file's imports. The receiver and the
// permit keep their names in every method; a parameter or result with one
// of those names is renamed in its method only (see allocNames).
func nameInterface(it *Interface, avoid scope) {
	reserved := nameTypeParams(it, avoid)
	local := scope{}
	for _, tp := range it.TypeParams {
		local[tp.Name] = true
	}
	it.Recv = receiverName(it.Name, reserved)
	local[it.Recv] = true
	for i := range it.Methods {
		m := &it.Methods[i]
		names := local
		if m.Guarded {
			m.Permit = local.with(avoid).fresh(permitName)
			names = local.with()
			names[m.Permit] = true
		}
		m.Params, m.Results = allocNames(m.Sig, m.Guarded && !m.ResultErr, names)
		if m.ResultErr {
			taken := names.with(avoid)
			for _, name := range append(slices.Clone(m.Params), m.Results...) {
				taken[name] = true
			}
			m.ErrVar = taken.fresh(errName)
		}
	}
}

// allocNames names the parameters and results of a generated method.
// Names from the interface are kept unless they are blank or taken by a
// name in scope (the receiver, a type parameter) or by nil, which the body
// uses; unnamed parameters become p0, p1..., unnamed results r0, r1..., and
// an unnamed error result of a guarded method err, each avoiding the names
// the interface gives. A clash gets a numeric suffix. Package names need
// no care: the parameters' scope is the body, which names no package.
func allocNames(sig *types.Signature, guarded bool, local scope) (params, results []string) {
	taken := local.with()
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
		results[nr-1] = taken.fresh(base)
	}
	for _, s := range slots {
		if *s.dst != "" {
			continue
		}
		base := s.name
		if base == "" {
			base = s.auto
		}
		*s.dst = taken.fresh(base)
	}
	return params, results
}

// receiverName takes the receiver of the wrapper of the interface name: b,
// else the interface's initial in lower case, else b with a suffix; the
// first that is not taken.
func receiverName(name string, taken scope) string {
	initial, _ := utf8.DecodeRuneInString(name)
	for _, c := range []string{recvName, string(unicode.ToLower(initial))} {
		if token.IsIdentifier(c) && !taken[c] {
			taken[c] = true
			return c
		}
	}
	return taken.fresh(recvName)
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

// WrapperName is the name of the wrapper of interface name: AgentClientBreaker.
func WrapperName(name string) string { return name + "Breaker" }

// CtorName is the name of the wrapper's constructor: NewAgentClientBreaker,
// or newAgentClientBreaker for an unexported interface.
func CtorName(name string) string {
	if exported(name) {
		return "New" + name + "Breaker"
	}
	return "new" + upperFirst(name) + "Breaker"
}
