// Command apicount counts the exported identifiers of a package: types,
// functions, methods, struct fields, constants and variables, the measure
// of the runtime package's size that its API budget is written in.
//
//	go run ./cmd/apicount github.com/breakergen/breakergen/runtime
//
// With -v it lists them, one per line.
package main

import (
	"flag"
	"fmt"
	"go/types"
	"log"
	"os"
	"sort"

	"golang.org/x/tools/go/packages"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("apicount: ")
	verbose := flag.Bool("v", false, "list the identifiers")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: apicount [-v] package")
		os.Exit(2)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName}, flag.Arg(0))
	if err != nil {
		log.Fatalf("load %s: %v", flag.Arg(0), err)
	}
	if packages.PrintErrors(pkgs) > 0 || len(pkgs) != 1 {
		log.Fatalf("load %s: want one package without errors", flag.Arg(0))
	}
	names := exported(pkgs[0].Types)
	if *verbose {
		for _, n := range names {
			fmt.Println(n)
		}
	}
	fmt.Printf("%s: %d exported identifiers\n", pkgs[0].PkgPath, len(names))
}

// exported returns the exported identifiers of pkg, qualified by their
// type where they belong to one (methods, interface methods and struct
// fields), sorted.
func exported(pkg *types.Package) []string {
	var out []string
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		out = append(out, name)
		tn, ok := obj.(*types.TypeName)
		if !ok {
			continue
		}
		if named, ok := tn.Type().(*types.Named); ok {
			for i := range named.NumMethods() {
				if m := named.Method(i); m.Exported() {
					out = append(out, name+"."+m.Name())
				}
			}
		}
		if it, ok := tn.Type().Underlying().(*types.Interface); ok {
			for i := range it.NumExplicitMethods() {
				if m := it.ExplicitMethod(i); m.Exported() {
					out = append(out, name+"."+m.Name())
				}
			}
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				if f := st.Field(i); f.Exported() {
					out = append(out, name+"."+f.Name())
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
