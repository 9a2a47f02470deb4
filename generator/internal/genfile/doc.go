// Package genfile tells the files that breakergen, or another generator,
// wrote by their first lines, and holds the //breakergen:generate
// directive.
//
// It imports only the standard library.
package genfile
