// Package emit renders a model.File as Go source with
// github.com/dave/jennifer, which qualifies and imports every foreign
// type, and formats it.
//
// It imports model, gomod and pathmsg; only the generator imports it.
package emit
