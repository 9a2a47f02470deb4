package emit

import (
	"go/types"

	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/dave/jennifer/jen"
)

// emitResultErr writes a guarded method whose last result carries its
// error (see model.Method.ResultErr): a rejection is a new result holding
// the *runtime.CircuitBreakerError, and the result's Err is reported.
func emitResultErr(f *jen.File, it *model.Interface, n *names, m model.Method, allow, call *jen.Statement, perMethod bool) {
	results := make([]jen.Code, len(m.Results))
	for i, name := range m.Results {
		results[i] = jen.Id(name)
	}
	rv := m.Results[len(m.Results)-1]
	last := m.Sig.Results().At(m.Sig.Results().Len() - 1).Type()
	var reject []jen.Code
	report := jen.Id(rv).Dot("Err").Call()
	if m.ResultPtr {
		elem := types.Unalias(last).(*types.Pointer).Elem()
		reject = append(reject, jen.Id(rv).Op("=").New(typeCode(elem, n.tparams)))
		report = jen.Qual(model.RuntimePath, "ResultErr").Call(jen.Id(rv))
	}
	reject = append(reject, jen.Id(rv).Dot("SetErr").Call(jen.Id(m.ErrVar)), jen.Return(results...))
	through := "the breaker"
	if perMethod {
		through = "its own breaker"
	}
	f.Commentf("%s calls %s of the wrapped %s through %s, which reads its result's Err.", m.Name, m.Name, it.Name, through)
	f.Func().Params(jen.Id(n.recv).Add(n.wrapperType())).Id(m.Name).Add(signatureCode(m.Sig, m.Params, m.Results, n.tparams)).Block(
		jen.List(jen.Id(m.Permit), jen.Id(m.ErrVar)).Op(":=").Add(allow),
		jen.If(jen.Id(m.ErrVar).Op("!=").Nil()).Block(reject...),
		jen.Defer().Id(m.Permit).Dot("Release").Call(),
		jen.List(results...).Op("=").Add(call),
		jen.Id(m.Permit).Dot("Done").Call(report),
		jen.Return(results...),
	)
}
