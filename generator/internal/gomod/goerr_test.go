package gomod

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

func TestGoCommandError(t *testing.T) {
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, stderr, want string
	}{
		{
			"go.mod",
			"go: errors parsing go.mod:\n" + wd + "/go.mod:8: unknown directive: bogus\n" + wd + "/go.mod:9: unknown directive: other\n",
			"go.mod:8: unknown directive: bogus (and 1 more errors)",
		},
		{
			"vendoring",
			"go: inconsistent vendoring in " + wd + "/sub:\n\texample.com/x@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt\n\texample.com/y@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt\n\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo mod vendor\n",
			"inconsistent vendoring in sub: example.com/x@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt (and 1 more); to sync the vendor directory, run go mod vendor",
		},
		{
			"workspace",
			"go: cannot load module nothere listed in go.work file: open nothere/go.mod: no such file or directory\n",
			"cannot load module nothere listed in go.work file: open nothere/go.mod: no such file or directory; create the module there, or remove it from go.work with go work edit -dropuse=nothere",
		},
		{
			"advice",
			"go: module . listed in go.work file requires go >= 1.26.0, but go.work lists go 1.26; to update it:\n\tgo work use\ngo: cannot load module nothere listed in go.work file: open nothere/go.mod: no such file or directory\n",
			"module . listed in go.work file requires go >= 1.26.0, but go.work lists go 1.26; to update it: go work use (and 1 more errors)",
		},
		{
			"outside",
			"go: something at /elsewhere/x failed\n",
			"something at /elsewhere/x failed",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CommandError("", errors.New("err: exit status 1: stderr: "+tt.stderr))
			wd, _ := os.Getwd()
			if got := pathmsg.Short(wd, err); got == nil || got.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", pathmsg.Short(wd, err), tt.want)
			}
		})
	}
	if err := CommandError("", errors.New("no such thing")); err != nil {
		t.Errorf("goCommandError of another error = %v, want nil", err)
	}
}
