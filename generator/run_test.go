package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/testmod"
)

const agentSrc = `package agent

import "context"

// AgentClient talks to an agent.
type AgentClient interface {
	Dispatch(ctx context.Context, task string) (string, error)
	Close() error
}

type unexported interface{ Do() error }

type Hidden interface {
	Do(t task) error
}

type task int

type NotIface struct{}

type Num interface{ ~int | ~float64 }
`

// runIn runs the generator in dir with the command-line arguments args.
func runIn(dir string, cfg Config) error {
	cfg.Dir = dir
	return Run(cfg)
}

// snapshot lists the files under dir with their contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			files[path] = string(b)
		}
		return nil
	})
	return files
}

func TestRunErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	t.Parallel()
	mod := testmod.WriteModule(t, map[string]string{
		"agent/agent.go":         agentSrc,
		"broken/broken.go":       "package broken\n\nvar x int = \"s\"\nvar y = undefined\n\ntype I interface {\n\tM() Missing\n\tGone\n}\n",
		"twopkgs/a.go":           "package one\n",
		"twopkgs/b.go":           "package two\n",
		"xt/x.go":                "package xt\n",
		"xt/x_test.go":           "package xt_test\n\ntype Fake interface{ Do() error }\n",
		"internal/in/in.go":      "package in\n\ntype T int\n",
		"deep/a/internal/i/i.go": "package i\n\ntype I interface{ Do() error }\n",
		"sealed/sealed.go":       "package sealed\n\ntype Sealed interface{ seal() }\n\ntype Opaque interface{ Do(t hidden) error }\n\ntype hidden int\n\ntype Pub = hidden\n",
		"usesealed/u.go":         "package usesealed\n\nimport \"example.com/m/sealed\"\n\ntype I interface {\n\tsealed.Sealed\n\tM() error\n}\n\ntype O interface{ sealed.Opaque }\n\ntype F interface{ M(struct{ x int }) error }\n",
		"taken/taken.go":         "package taken\n\ntype I interface{ Do() error }\n\ntype IBreaker struct{}\n",
		"hand/hand.go":           "package hand\n\ntype I interface{ Do() error }\n",
		"hand/i_breaker.go":      "package hand\n\n// hand-written\n",
	})
	agent := filepath.Join(mod, "agent")
	tests := []struct {
		name string
		dir  string
		cfg  Config
		want string
	}{
		{"not an interface", agent, Config{Types: []string{"NotIface"}}, "agent.go:19:6: NotIface is not an interface"},
		{"not found", agent, Config{Types: []string{"AgentClent"}}, "type AgentClent not found in package example.com/m/agent; did you mean AgentClient?"},
		{"second not found", agent, Config{Types: []string{"AgentClient", "Nope"}}, "type Nope not found in package example.com/m/agent"},
		{"constraint", agent, Config{Types: []string{"Num"}}, "agent.go:21:6: Num is a constraint interface"},
		{"load errors", filepath.Join(mod, "broken"), Config{Types: []string{"I"}}, "broken.go:7:6: undefined: Missing (and 1 more errors)"},
		{"no such dir", agent, Config{Types: []string{"I"}, Patterns: []string{"./nope"}}, "nope"},
		{"unexported interface elsewhere", agent, Config{Types: []string{"unexported"}, Output: "../other/x.go"}, "cannot wrap unexported in package example.com/m/other: unexported is unexported; generate into package agent instead"},
		{"unexported type elsewhere", agent, Config{Types: []string{"Hidden"}, Output: "../other/x.go"}, "method Do uses type agent.task, which is unexported; generate into package agent instead"},
		{"two packages in output dir", agent, Config{Types: []string{"AgentClient"}, Output: "../twopkgs/x.go"}, "holds packages one and two"},
		{"outside the module", agent, Config{Types: []string{"AgentClient"}, Output: "../../x/x.go"}, "-output ../../x/x.go: cannot write the wrapper of AgentClient there: directory ../../x is in no module; breakergen writes only inside the main module or workspace: give -output a file in a package of your module"},
		{"internal interface elsewhere", filepath.Join(mod, "deep/a/internal/i"), Config{Types: []string{"I"}, Output: "../../../../other/x.go"}, "package example.com/m/other may not import example.com/m/deep/a/internal/i"},
		{"external test type in non-test file", filepath.Join(mod, "xt"), Config{Types: []string{"Fake"}, Output: "fake.go"}, "Fake is declared in a _test.go file, so the wrapper must go in a _test.go file too"},
		{"external test type elsewhere", filepath.Join(mod, "xt"), Config{Types: []string{"Fake"}, Output: "../other/x_test.go"}, "which no other package can import"},
		{"embedded unexported method", filepath.Join(mod, "usesealed"), Config{Types: []string{"I"}}, "u.go:5:6: cannot wrap I in package example.com/m/usesealed: method seal is unexported in package example.com/m/sealed, so only that package can implement I"},
		{"embedded unexported type", filepath.Join(mod, "usesealed"), Config{Types: []string{"O"}}, "method Do uses type sealed.hidden, which is unexported, so only that package can name it"},
		{"wrapper name taken", filepath.Join(mod, "taken"), Config{Types: []string{"I"}}, "taken.go:3:6: cannot wrap I: IBreaker is already declared at taken.go:5:6; rename one of them"},
		{"hand-written file", filepath.Join(mod, "hand"), Config{Types: []string{"I"}}, "refusing to overwrite i_breaker.go"},
		{"hand-written file with -check", filepath.Join(mod, "hand"), Config{Types: []string{"I"}, Check: true}, "i_breaker.go does not start with a \"// Code generated ... DO NOT EDIT.\" line, so it may hold hand-written code, which generation would not overwrite"},
		{"no type", agent, Config{}, "-type is required"},
		{"bad type", agent, Config{Types: []string{"a.B"}}, "\"a.B\" is not a Go identifier"},
		{"type twice", agent, Config{Types: []string{"AgentClient", "AgentClient"}}, "-type: AgentClient is listed twice"},
		{"bad output", agent, Config{Types: []string{"AgentClient"}, Output: "x.txt"}, "not a .go file"},
	}
	for _, tt := range tests {
		before := snapshot(t, mod)
		err := runIn(tt.dir, tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is not one line: %q", tt.name, err)
		}
		if after := snapshot(t, mod); len(after) != len(before) {
			t.Errorf("%s: files changed", tt.name)
		} else {
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s: %s changed", tt.name, k)
				}
			}
		}
	}
	if err := runIn(filepath.Join(mod, "hand"), Config{Types: []string{"I"}, Check: true}); isStale(err) {
		t.Errorf("-check of a hand-written file: %v is stale", err)
	}
	var usage *UsageError
	if err := runIn(agent, Config{}); !errors.As(err, &usage) {
		t.Errorf("no -type: %v is not a *UsageError", err)
	}
}

func TestRunWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	t.Parallel()
	mod := testmod.WriteModule(t, map[string]string{"agent/agent.go": agentSrc})
	agent := filepath.Join(mod, "agent")
	out := filepath.Join(agent, "agentclient_breaker.go")
	cfg := Config{Types: []string{"AgentClient"}}

	writeFresh(t, agent, out, cfg)
	keepUnchanged(t, agent, out, cfg)
	second := regenerateStale(t, agent, out, cfg)
	testmod.Go(t, mod, "vet", "./...")

	// Same input, same bytes, from another directory and pattern.
	if err := runIn(mod, Config{Types: []string{"AgentClient"}, Patterns: []string{"./agent"}}); err != nil {
		t.Fatal(err)
	}
	third, _ := os.ReadFile(out)
	if string(third) != string(second) {
		t.Errorf("output depends on the working directory")
	}
}

// writeFresh checks -check on a missing file, then writes it and checks
// it again.
func writeFresh(t *testing.T, agent, out string, cfg Config) {
	t.Helper()
	// -check before generation: missing.
	cfg.Check = true
	if err := runIn(agent, cfg); !isStale(err) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("check of a missing file: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("check wrote a file")
	}
	cfg.Check = false
	if err := runIn(agent, cfg); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(first), "// Code generated by \"breakergen -type=AgentClient\"; DO NOT EDIT.\n") {
		t.Errorf("header: %q", strings.SplitN(string(first), "\n", 2)[0])
	}
	cfg.Check = true
	if err := runIn(agent, cfg); err != nil {
		t.Errorf("check of a fresh file: %v", err)
	}
}

// keepUnchanged checks that a run whose bytes do not change leaves the
// file alone.
func keepUnchanged(t *testing.T, agent, out string, cfg Config) {
	t.Helper()
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(out, old, old); err != nil {
		t.Fatal(err)
	}
	if err := runIn(agent, cfg); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); !fi.ModTime().Equal(old) {
		t.Errorf("unchanged output was rewritten")
	}
}

// regenerateStale changes the interface: the old wrapper no longer
// compiles, -check says so, and regeneration works. It returns the new
// file.
func regenerateStale(t *testing.T, agent, out string, cfg Config) []byte {
	t.Helper()
	changed := strings.Replace(agentSrc, "Close() error", "Close(force bool) error\n\tStatus() (int, error)", 1)
	testmod.WriteFile(t, filepath.Join(agent, "agent.go"), changed)
	cfg.Check = true
	if err := runIn(agent, cfg); !isStale(err) || !strings.Contains(err.Error(), "is out of date (first difference at line") {
		t.Errorf("check of a stale file: %v", err)
	}
	cfg.Check = false
	if err := runIn(agent, cfg); err != nil {
		t.Fatalf("regenerate over a stale wrapper: %v", err)
	}
	second, _ := os.ReadFile(out)
	if !strings.Contains(string(second), "Status() (r0 int, err error)") {
		t.Errorf("regenerated file lacks Status:\n%s", second)
	}
	entries, _ := os.ReadDir(agent)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	return second
}

// isStale reports whether err says that a generated file is missing or out
// of date.
func isStale(err error) bool {
	_, ok := errors.AsType[*output.StaleError](err)
	return ok
}
