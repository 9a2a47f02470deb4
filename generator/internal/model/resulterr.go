package model

import "go/types"

// Why a method without an error result passes through.
const (
	reasonNoError   = "it has no error result to report a rejection with"
	reasonResultErr = "its result reports failures with Err, which only -result-err reads"
)

// guard says whether a method of signature sig goes through the breaker:
// when its last result is error, or with resultErr when that result, of a
// concrete type, carries its error (see Method.ResultErr, and ResultPtr);
// and why not.
func guard(sig *types.Signature, resultErr bool) (guarded, carries, ptr bool, why string) {
	res := sig.Results()
	if res.Len() == 0 {
		return false, false, false, reasonNoError
	}
	last := res.At(res.Len() - 1).Type()
	switch {
	case isError(last):
		return true, false, false, ""
	case types.IsInterface(last) || !hasMethod(last, "Err", types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewParam(0, nil, "", types.Universe.Lookup("error").Type())), false)):
		// An interface's Err, such as context.Context's, need not be
		// the call's: only a concrete result carries its error.
		return false, false, false, reasonNoError
	case !resultErr:
		return false, false, false, reasonResultErr
	}
	_, ptr = types.Unalias(last).(*types.Pointer)
	return true, true, ptr, ""
}

// hasMethod reports whether a value of type t, addressable, has a method
// name of signature sig: its method set, pointer receivers included.
func hasMethod(t types.Type, name string, sig *types.Signature) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	fn, ok := obj.(*types.Func)
	return ok && types.Identical(fn.Type().(*types.Signature), sig)
}

// canCarry reports whether breakergen can make a value of type t that
// carries an error: a named concrete type, or a pointer to one, whose
// pointer has SetErr(error).
func canCarry(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || types.IsInterface(n) {
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	setErr := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewParam(0, nil, "", errType)), nil, false)
	return hasMethod(types.NewPointer(n), "SetErr", setErr)
}

// isError reports whether t is the predeclared error type or an alias of it.
func isError(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == nil && n.Obj().Name() == "error"
}
