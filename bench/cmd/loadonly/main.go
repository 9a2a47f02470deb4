// Command loadonly runs the packages.Load that breakergen -type runs and
// nothing else: what golang.org/x/tools/go/packages alone costs, the floor
// under breakergen's wall time in genspeed.sh.
//
//	loadonly [-export] pattern
//
// Without -export it loads the pattern as breakergen loads a package of
// its own module: syntax and types of the package from source, its
// dependencies from export data. Like breakergen it drops function
// bodies, which the type checker then skips; unlike breakergen it parses
// them first, and keeps no comments. With -export it loads it as breakergen
// loads a package of another module: from export data alone. It fails
// unless the pattern matches one package that loaded with types and
// without errors other than type errors, which breakergen tolerates too
// (without its bodies a file's imports may go unused).
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"

	"golang.org/x/tools/go/packages"
)

// The modes of breakergen's generator/internal/load/load.go (loadMode) and
// generator/internal/load/loadexport.go (exportMode).
const (
	sourceMode = packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedModule
	exportMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedTypes | packages.NeedModule
)

func main() {
	export := flag.Bool("export", false, "load from export data alone")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: loadonly [-export] pattern")
		os.Exit(2)
	}
	mode := sourceMode
	if *export {
		mode = exportMode
	}
	pkgs, err := packages.Load(&packages.Config{Mode: mode, ParseFile: parseDecls}, flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadonly: %v\n", err)
		os.Exit(1)
	}
	if len(pkgs) != 1 || pkgs[0].Types == nil {
		fmt.Fprintf(os.Stderr, "loadonly: %s: want one package, got %d\n", flag.Arg(0), len(pkgs))
		os.Exit(1)
	}
	for _, e := range pkgs[0].Errors {
		if e.Kind != packages.TypeError {
			fmt.Fprintf(os.Stderr, "loadonly: %v\n", e)
			os.Exit(1)
		}
	}
}

// parseDecls parses a file without comments and drops its function
// bodies.
func parseDecls(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if f != nil {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok {
				fn.Body = nil
			}
		}
	}
	return f, err
}
