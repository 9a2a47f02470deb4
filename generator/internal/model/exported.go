package model

import (
	"fmt"
	"go/types"

	"github.com/breakergen/breakergen/generator/internal/typewalk"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// checkExported reports an error when code in package outPath cannot
// write the wrapper of it: an interface, method or type in a signature
// that is unexported in another package. own says whether the interface's
// package is in the main module or workspace, where a wrapper may go.
func checkExported(it *Interface, obj *types.TypeName, outPath string, own bool) error {
	where := fmt.Sprintf("cannot wrap %s in package %s", it.Name, outPath)
	if !own {
		return checkForeign(it, obj, outPath, where)
	}
	fix := fmt.Sprintf("generate into package %s instead", obj.Pkg().Name())
	if foreign(obj, outPath) {
		return pathmsg.Errorf("%s: %s is unexported; %s", where, it.Name, fix)
	}
	for _, m := range it.Methods {
		if !m.Exported && m.PkgPath != outPath {
			if obj.Pkg().Path() == outPath {
				return pathmsg.Errorf("%s: method %s is unexported in package %s, so only that package can implement %s", where, m.Name, m.PkgPath, it.Name)
			}
			return pathmsg.Errorf("%s: method %s is unexported in package %s; %s", where, m.Name, m.PkgPath, fix)
		}
		if name := unexportedIn(m.Sig, outPath); name != "" {
			if obj.Pkg().Path() == outPath {
				return pathmsg.Errorf("%s: method %s uses %s, which is unexported, so only that package can name it", where, m.Name, name)
			}
			return pathmsg.Errorf("%s: method %s uses %s, which is unexported; %s", where, m.Name, name, fix)
		}
	}
	for _, tp := range it.TypeParams {
		if name := unexportedIn(tp.Constraint, outPath); name != "" {
			if obj.Pkg().Path() == outPath {
				return pathmsg.Errorf("%s: type parameter %s uses %s, which is unexported, so only that package can name it", where, tp.Name, name)
			}
			return pathmsg.Errorf("%s: type parameter %s uses %s, which is unexported; %s", where, tp.Name, name, fix)
		}
	}
	return nil
}

// checkForeign is checkExported for an interface of another module (the
// standard library's, a dependency's), whose package cannot hold the
// wrapper: the advice is what the user can do in their own code.
func checkForeign(it *Interface, obj *types.TypeName, outPath, where string) error {
	fix := fmt.Sprintf("declare in your package an interface with the methods of %s you call and wrap that instead: every %s.%s satisfies it", it.Name, obj.Pkg().Name(), it.Name)
	if foreign(obj, outPath) {
		return pathmsg.Errorf("%s: %s is unexported in package %s, so no package outside it can name it; wrap an exported interface of that package, or one of your own", where, it.Name, obj.Pkg().Path())
	}
	for _, m := range it.Methods {
		if !m.Exported && m.PkgPath != outPath {
			return pathmsg.Errorf("%s: method %s is unexported in package %s, so no wrapper outside that package can implement %s; %s", where, m.Name, m.PkgPath, it.Name, fix)
		}
		if name := unexportedIn(m.Sig, outPath); name != "" {
			return pathmsg.Errorf("%s: method %s uses %s, which is unexported, so no package outside its own can name it; %s", where, m.Name, name, fix)
		}
	}
	for _, tp := range it.TypeParams {
		if name := unexportedIn(tp.Constraint, outPath); name != "" {
			return pathmsg.Errorf("%s: type parameter %s uses %s, which is unexported, so no package outside its own can name it or wrap %s", where, tp.Name, name, it.Name)
		}
	}
	return nil
}

// foreign reports whether obj is unexported in a package other than the
// one at path.
func foreign(obj types.Object, path string) bool {
	return obj.Pkg() != nil && obj.Pkg().Path() != path && !obj.Exported()
}

// unexportedIn names the first type, struct field or interface method in t
// that is unexported in a package other than the one at path, or returns "".
func unexportedIn(t types.Type, path string) string {
	var found string
	typewalk.Walk(t, func(t types.Type) {
		if found != "" {
			return
		}
		if obj := typewalk.Named(t); obj != nil && foreign(obj, path) {
			found = "type " + obj.Pkg().Name() + "." + obj.Name()
			return
		}
		switch t := t.(type) {
		case *types.Struct:
			for f := range t.Fields() {
				if foreign(f, path) {
					found = "struct field " + f.Name() + " of package " + f.Pkg().Path()
					return
				}
			}
		case *types.Interface:
			for i := range t.NumExplicitMethods() {
				if m := t.ExplicitMethod(i); foreign(m, path) {
					found = "interface method " + m.Name() + " of package " + m.Pkg().Path()
					return
				}
			}
		}
	})
	return found
}
