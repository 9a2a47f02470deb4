package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveLinks(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// alias stands for a link above the module, as /tmp is on macOS or a
	// link the user works through.
	for _, d := range []string{"real/mod/sub", "real/mod/other", "outside"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"alias":           "real",
		"real/mod/in":     "sub",
		"real/mod/sub/up": "../other",
		"real/mod/out":    filepath.Join(tmp, "outside"),
	}
	for link, to := range links {
		if err := os.Symlink(to, filepath.Join(tmp, link)); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	mod := filepath.Join(tmp, "alias", "mod")
	for _, tt := range []struct{ wd, dir, want string }{
		{mod, "in", filepath.Join(mod, "sub")},
		{mod, "in/new/deeper", filepath.Join(mod, "sub", "new", "deeper")},
		{mod, "sub", filepath.Join(mod, "sub")},
		{mod, "out", filepath.Join(tmp, "outside")},
		// From sub, up leads out of it, but not out of the alias.
		{filepath.Join(mod, "sub"), "up", filepath.Join(mod, "other")},
	} {
		got, err := resolveLinks(tt.wd, filepath.Join(tt.wd, tt.dir))
		if err != nil || got != tt.want {
			t.Errorf("%s in %s: %q, %v; want %q", tt.dir, tt.wd, got, err, tt.want)
		}
	}
}
