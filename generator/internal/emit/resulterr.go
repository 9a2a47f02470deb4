package emit

import (
	"go/types"

	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/dave/jennifer/jen"
)

// resultErrCode is a guarded method whose last result carries its
// error (see model.Method.ResultErr): a rejection is a new result holding
// the *runtime.CircuitBreakerError, made by runtime.Rejected, and the
// result's Err is reported.
func resultErrCode(it *model.Interface, n *names, m model.Method, allow, call *jen.Statement, perMethod bool) *jen.Statement {
	results := make([]jen.Code, len(m.Results))
	for i, name := range m.Results {
		results[i] = jen.Id(name)
	}
	rv := m.Results[len(m.Results)-1]
	last := m.Sig.Results().At(m.Sig.Results().Len() - 1).Type()
	// runtime.Rejected makes a *T; a result of type T is its value.
	elem, deref := last, jen.Op("*")
	if m.ResultPtr {
		elem, deref = types.Unalias(last).(*types.Pointer).Elem(), jen.Null()
	}
	rejected := deref.Qual(model.RuntimePath, "Rejected").Types(typeCode(elem, n.tparams)).Call(jen.Id(m.ErrVar))
	report := jen.Id(rv).Dot("Err").Call()
	if m.ResultPtr {
		report = jen.Qual(model.RuntimePath, "ResultErr").Call(jen.Id(rv))
	}
	// One result needs no names: the rejection is returned as it is made,
	// and the call's result is a local variable.
	sig := signatureCode(m.Sig, m.Params, m.Results, n.tparams)
	assign := jen.List(results...).Op("=").Add(call)
	reject := append(results[:len(results)-1:len(results)-1], rejected)
	if len(m.Results) == 1 {
		sig = signatureCode(m.Sig, m.Params, nil, n.tparams)
		assign = jen.Id(rv).Op(":=").Add(call)
	}
	through := "the breaker"
	if perMethod {
		through = "its own breaker"
	}
	return jen.Commentf("%s calls %s of the wrapped %s through %s, which reads its result's Err.", m.Name, m.Name, it.Name, through).Line().
		Func().Params(jen.Id(n.recv).Add(n.wrapperType())).Id(m.Name).Add(sig).Block(
		jen.List(jen.Id(m.Permit), jen.Id(m.ErrVar)).Op(":=").Add(allow),
		jen.If(jen.Id(m.ErrVar).Op("!=").Nil()).Block(jen.Return(reject...)),
		jen.Defer().Id(m.Permit).Dot("Release").Call(),
		assign,
		jen.Id(m.Permit).Dot("Done").Call(report),
		jen.Return(results...),
	)
}
