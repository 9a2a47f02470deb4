package generator

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveBelow(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// alias stands for a link above the module, as /tmp is on macOS.
	for _, d := range []string{"real/mod/sub", "outside"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"alias":        "real",
		"real/mod/in":  "sub",
		"real/mod/out": filepath.Join(tmp, "outside"),
	}
	for link, to := range links {
		if err := os.Symlink(to, filepath.Join(tmp, link)); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	base := filepath.Join(tmp, "alias", "mod")
	for _, tt := range []struct{ dir, want string }{
		{"in", filepath.Join(base, "sub")},
		{"in/new/deeper", filepath.Join(base, "sub", "new", "deeper")},
		{"out", filepath.Join(tmp, "outside")},
		{"sub", filepath.Join(base, "sub")},
	} {
		got, err := resolveBelow(base, filepath.Join(base, tt.dir))
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.dir, got, err, tt.want)
		}
	}
}
