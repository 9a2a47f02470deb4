package typewalk

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

func TestIncomplete(t *testing.T) {
	const src = `package p

import "io"

type Good interface {
	io.Reader
	Get(key string) ([]byte, error)
}

type BadResult interface{ Get() (Missing, error) }

type BadEmbed interface {
	Good
	Undefined
}

type BadConstraint[T interface{ Nope() Gone }] interface{ Put(T) error }

type Embeds interface{ BadResult }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("p", fset, []*ast.File{f}, nil)
	for name, want := range map[string]bool{"Good": false, "BadResult": true, "BadEmbed": true, "BadConstraint": true, "Embeds": true} {
		if got := Incomplete(pkg.Scope().Lookup(name).(*types.TypeName)); got != want {
			t.Errorf("Incomplete(%s) = %v, want %v", name, got, want)
		}
	}
}
