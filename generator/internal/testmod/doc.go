// Package testmod writes the Go modules the generator's tests run in, and
// runs the go command in them. Only tests import it.
package testmod
