package load

import (
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
)

func TestInterfacesIn(t *testing.T) {
	// pkg declares n interfaces I0, I1... and a struct, a constraint and
	// a type of each kind that -type cannot name.
	pkg := func(n int) []*packages.Package {
		p := types.NewPackage("example.com/p", "p")
		decl := func(name string, typ types.Type) {
			obj := types.NewTypeName(0, p, name, nil)
			types.NewNamed(obj, typ, nil)
			p.Scope().Insert(obj)
		}
		for i := range n {
			decl(fmt.Sprintf("I%d", i), types.NewInterfaceType(nil, nil).Complete())
		}
		decl("S", types.NewStruct(nil, nil))
		union := types.NewUnion([]*types.Term{types.NewTerm(true, types.Typ[types.Int])})
		decl("Number", types.NewInterfaceType(nil, []types.Type{union}).Complete())
		return []*packages.Package{{Types: p}}
	}
	for n, want := range map[int]string{
		0: "it declares no interface",
		1: "its one interface is I0",
		2: "its interfaces are I0 and I1",
		6: "its interfaces are I0, I1, I2, I3, I4 and I5",
		7: "its interfaces are I0, I1, I2, I3, I4, I5 and I6",
		9: "its interfaces include I0, I1, I2, I3, I4, I5 and 3 more",
	} {
		if got := interfacesIn(pkg(n)); got != want {
			t.Errorf("%d interfaces: %q, want %q", n, got, want)
		}
	}

	// The interfaces of the package's _test.go files count, which a load
	// without tests leaves out; constraints do not.
	dir := t.TempDir()
	src := "package p\n\ntype Fake interface{ Do() error }\n\ntype Num interface{ ~int | ~int64 }\n\ntype S struct{}\n"
	if err := os.WriteFile(filepath.Join(dir, "p_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs := pkg(1)
	pkgs[0].Dir = dir
	if got, want := interfacesIn(pkgs), "its interfaces are Fake and I0"; got != want {
		t.Errorf("with a test file: %q, want %q", got, want)
	}
}

func TestDeclaredInTests(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.go":        "package a\n\ntype Client interface{ Do() error }\n",
		"a_test.go":   "package a\n\n// Mock stands in for a Client.\ntype mock struct{ Client }\n",
		"b_test.go":   "package a\n\ntype Store interface{ Get() error }\n",
		"c_test.go":   "package a\n\nfunc f() {\n\ttype Local interface{}\n}\n",
		"bad_test.go": "package a\n\ntype Broken interface {\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		names []string
		want  bool
	}{
		{[]string{"Store"}, true},
		{[]string{"Client", "Store"}, true},
		{[]string{"Client"}, false}, // mentioned in a test file, declared in a.go
		{[]string{"Local"}, false},  // declared inside a function
		{[]string{"Broken"}, false}, // in a file that does not parse
		{[]string{"Missing"}, false},
	} {
		if got := declaredInTests(dir, []string{"."}, tt.names); got != tt.want {
			t.Errorf("declaredInTests(%v) = %v, want %v", tt.names, got, tt.want)
		}
	}
}
