package pathmsg

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestRender(t *testing.T) {
	inner := Sprintf("in %s", Path("/work/m/b/c.go"))
	m := Sprintf("%s: %s is %s; %s; %s", Pos("/work/m/a.go:3:9"), Path("/work/m/b"), Path("/elsewhere/x.go"), Text("go: /work/m/go.mod:2: bad (see /work/m/x)"), inner)
	for _, tt := range []struct {
		dir, want string
	}{
		{"", "/work/m/a.go:3:9: /work/m/b is /elsewhere/x.go; go: /work/m/go.mod:2: bad (see /work/m/x); in /work/m/b/c.go"},
		{"/work/m", "a.go:3:9: b is /elsewhere/x.go; go: go.mod:2: bad (see x); in b/c.go"},
		{"/work/m/b", "../a.go:3:9: . is /elsewhere/x.go; go: ../go.mod:2: bad (see ../x); in c.go"},
	} {
		if got := m.Render(tt.dir); got != tt.want {
			t.Errorf("Render(%q)\n got  %s\n want %s", tt.dir, got, tt.want)
		}
	}
	if got, want := m.Error(), m.Render(""); got != want {
		t.Errorf("Error() = %q, want the absolute %q", got, want)
	}
}

// A path outside dir stays absolute when the relative one is longer, as
// a path inside it is shortened.
func TestRenderKeepsShorter(t *testing.T) {
	m := Sprintf("%s %s", Path("/a/x.go"), Path("/a/b/c/d/y.go"))
	if got, want := m.Render("/a/b/c/d"), "/a/x.go y.go"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

type usage struct{ msg string }

func (e *usage) Error() string { return e.msg }

func TestShort(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "/work/m/f.go", Err: fs.ErrPermission}
	err := Errorf("cannot write %s: %w", Path("/work/m/f.go"), cause)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Errorf does not wrap its %%w argument: %v", err)
	}
	short := Short("/work/m", err)
	if got, want := short.Error(), "cannot write f.go: open /work/m/f.go: permission denied"; got != want {
		t.Errorf("Short: got %q, want %q", got, want)
	}
	if !errors.Is(short, fs.ErrPermission) {
		t.Error("Short hides the error it wraps")
	}

	// A stage may wrap a Msg with fmt.Errorf: its paths are still made
	// short, and errors.As still finds what it holds.
	wrapped := fmt.Errorf("-output x: %w", Errorf("%s is a directory", Path("/work/m/out")))
	if got, want := Short("/work/m", wrapped).Error(), "-output x: out is a directory"; got != want {
		t.Errorf("Short of fmt.Errorf: got %q, want %q", got, want)
	}
	u := &usage{"bad flag"}
	var target *usage
	if !errors.As(Short("/work/m", u), &target) || target != u {
		t.Error("errors.As does not find the error under Short")
	}
	if Short("/work/m", nil) != nil {
		t.Error("Short(nil) is not nil")
	}
}

func TestFile(t *testing.T) {
	for pos, want := range map[string]string{
		"/a/b.go:3:9": "/a/b.go",
		"/a/b.go:3":   "/a/b.go",
		"/a/b.go":     "/a/b.go",
		"-":           "",
		"":            "",
		"c:/x.go:1:2": "c:/x.go",
	} {
		if got := File(pos); got != want {
			t.Errorf("File(%q) = %q, want %q", pos, got, want)
		}
	}
}
