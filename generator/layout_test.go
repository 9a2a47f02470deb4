package generator

import (
	"fmt"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestFilesOneWay checks the rule of the package docs that the files of
// one package depend on each other in one direction: no two files of a
// package of the generator, its tests included, reference each other's
// package-level names in a cycle. The packages themselves are kept one way
// by the compiler.
func TestFilesOneWay(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every package of the generator")
	}
	cfg := &packages.Config{
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Tests: true,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the generator's packages do not load")
	}
	checked := 0
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue // the generated test main
		}
		for _, cycle := range fileCycles(p) {
			t.Errorf("package %s: files reference each other in a cycle: %s", p.ID, strings.Join(cycle, "; "))
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no package checked")
	}
}

// fileCycles lists the cycles among the files of p, each as the files of
// one strongly connected component of the graph in which a file points to
// the files that declare the package-level names it uses; and within such
// a component, the names that close the cycle.
func fileCycles(p *packages.Package) [][]string {
	fileOf := func(obj types.Object) string {
		return filepath.Base(p.Fset.Position(obj.Pos()).Filename)
	}
	edges := map[string]map[string]string{} // from -> to -> a name
	for id, obj := range p.TypesInfo.Uses {
		if obj.Pkg() != p.Types || obj.Parent() != p.Types.Scope() {
			continue
		}
		from, to := filepath.Base(p.Fset.Position(id.Pos()).Filename), fileOf(obj)
		if from == to {
			continue
		}
		if edges[from] == nil {
			edges[from] = map[string]string{}
		}
		if old, ok := edges[from][to]; !ok || obj.Name() < old {
			edges[from][to] = obj.Name()
		}
	}
	var cycles [][]string
	for _, comp := range components(edges) {
		if len(comp) < 2 {
			continue
		}
		var names []string
		for _, from := range comp {
			for to, name := range edges[from] {
				if slices.Contains(comp, to) {
					names = append(names, fmt.Sprintf("%s uses %s of %s", from, name, to))
				}
			}
		}
		slices.Sort(names)
		cycles = append(cycles, names)
	}
	return cycles
}

// components are the strongly connected components of the graph, by
// Tarjan's algorithm, each sorted, in the order of their first file.
func components(edges map[string]map[string]string) [][]string {
	var nodes []string
	for from, tos := range edges {
		nodes = append(nodes, from)
		for to := range tos {
			nodes = append(nodes, to)
		}
	}
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	index, low, onStack := map[string]int{}, map[string]int{}, map[string]bool{}
	var stack []string
	var comps [][]string
	var visit func(string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack = append(stack, v)
		onStack[v] = true
		for w := range edges[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		slices.Sort(comp)
		comps = append(comps, comp)
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	slices.SortFunc(comps, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return comps
}
