package generator

import (
	"os"
	"path/filepath"
	"testing"
)

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
