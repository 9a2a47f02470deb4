package runtime

import "errors"

// errNilResult is what ResultErr says of a nil result whose Err panics.
var errNilResult = errors.New("the call returned a nil result")

// ResultErr is the error that r, the result of a call, says the call ended
// with: r.Err(). It is what a wrapper reports to Permit.Done for a method
// whose result carries its error, such as a go-redis command. A nil r
// counts as what its Err says, or, if Err panics on it, as a failed call.
func ResultErr[T any, P interface {
	*T
	Err() error
}](r P) (err error) {
	if r != nil {
		return r.Err()
	}
	defer func() {
		if recover() != nil {
			err = errNilResult
		}
	}()
	return r.Err()
}

// Rejected returns a new T that carries err: the result a wrapper returns,
// without calling the dependency, for a method whose result carries its
// error when the breaker rejects the call, so that the result's Err is
// the rejection.
func Rejected[T any, P interface {
	*T
	SetErr(error)
}](err error) P {
	r := P(new(T))
	r.SetErr(err)
	return r
}
