package model

import (
	"maps"
	"testing"
)

func TestImportNames(t *testing.T) {
	for _, tt := range []struct {
		name    string
		imports map[string]string
		scope   []string
		src     map[string]string
		want    map[string]string
	}{
		{
			"two rands, no source names",
			map[string]string{"math/rand": "rand", "math/rand/v2": "rand", RuntimePath: "runtime"},
			nil, nil,
			map[string]string{"math/rand": "rand", "math/rand/v2": "randv2", RuntimePath: "runtime"},
		},
		{
			"two rands, named as the source file names them",
			map[string]string{"math/rand": "rand", "math/rand/v2": "rand", RuntimePath: "runtime"},
			nil, map[string]string{"math/rand": "mrand", "math/rand/v2": "rand", "strings": "str"},
			map[string]string{"math/rand": "mrand", "math/rand/v2": "rand", RuntimePath: "runtime"},
		},
		{
			"the standard runtime keeps the source file's name",
			map[string]string{"runtime": "runtime", RuntimePath: "runtime"},
			nil, map[string]string{"runtime": "runtime"},
			map[string]string{"runtime": "runtime", RuntimePath: "breakergenruntime"},
		},
		{
			"names taken by the package",
			map[string]string{"context": "context", "example.com/x/log": "log", "log": "log", RuntimePath: "runtime"},
			[]string{"context", "runtime"}, map[string]string{"context": "stdcontext"},
			map[string]string{"context": "stdcontext", "example.com/x/log": "xlog", "log": "log", RuntimePath: "breakergenruntime"},
		},
	} {
		scope := map[string]bool{}
		for _, n := range tt.scope {
			scope[n] = true
		}
		got := map[string]string{}
		for path, imp := range importNames(tt.imports, scope, tt.src) {
			got[path] = imp.Name
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
