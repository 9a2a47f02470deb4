// Package typewalk walks go/types types: every type a type is made of,
// the object and type parameters of a named type or an alias, and whether
// a type error left an invalid type in an interface (Incomplete).
//
// It imports only the standard library.
package typewalk
