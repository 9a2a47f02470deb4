package emit

import (
	"go/types"

	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/dave/jennifer/jen"
)

// names are what emit writes for the names of one interface's wrapper:
// those nameFile chose, and the type parameters as code.
type names struct {
	model.DeclNames
	recv               string // receiver of methods
	rejection          string // *runtime.CircuitBreakerError, with the name the file imports the runtime under
	tparams            map[*types.TypeParam]string
	typeParams, tpArgs []jen.Code // [K comparable, V any] and [K, V]
}

func newNames(it *model.Interface, runtimeName string) *names {
	n := &names{DeclNames: it.Decl, recv: it.Recv, rejection: "*" + runtimeName + ".CircuitBreakerError", tparams: map[*types.TypeParam]string{}}
	for _, tp := range it.TypeParams {
		n.tparams[tp.Param] = tp.Name
	}
	for _, tp := range it.TypeParams {
		n.typeParams = append(n.typeParams, jen.Id(tp.Name).Add(typeCode(tp.Constraint, n.tparams)))
		n.tpArgs = append(n.tpArgs, jen.Id(tp.Name))
	}
	return n
}

// ifaceType is the interface as a type in the output: AgentClient, Store[K, V].
func (n *names) ifaceType(it *model.Interface) *jen.Statement {
	var obj *types.TypeName
	switch t := it.Type.(type) {
	case *types.Named:
		obj = t.Obj()
	case *types.Alias:
		obj = t.Obj()
	}
	return jen.Qual(obj.Pkg().Path(), obj.Name()).Types(n.tpArgs...)
}

// wrapperType is *AgentClientBreaker or *StoreBreaker[K, V].
func (n *names) wrapperType() *jen.Statement {
	return jen.Op("*").Id(n.Wrapper).Types(n.tpArgs...)
}
