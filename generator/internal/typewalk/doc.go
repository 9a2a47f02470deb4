// Package typewalk walks go/types types: every type a type is made of,
// and the object and type parameters of a named type or an alias.
//
// It imports only the standard library.
package typewalk
