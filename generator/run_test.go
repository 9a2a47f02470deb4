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
		{"hand-written file with -check", filepath.Join(mod, "hand"), Config{Types: []string{"I"}, Check: true}, "refusing to overwrite i_breaker.go: it does not start with"},
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
	cfg.Check = false

	// Unchanged bytes leave the file alone.
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

	// The interface changes: the old wrapper no longer compiles, -check
	// says so, and regeneration works.
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

func TestRunTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	t.Parallel()
	mod := testmod.WriteModule(t, map[string]string{
		"in/in.go":        "package in\n\ntype Real struct{}\n",
		"in/in_test.go":   "package in\n\ntype Fake interface{ Do(Real) error }\n",
		"ext/ext.go":      "package ext\n\ntype Real struct{}\n",
		"ext/ext_test.go": "package ext_test\n\nimport \"example.com/m/ext\"\n\ntype XFake interface{ Do(ext.Real) error }\n",
	})
	for _, c := range []struct{ dir, typ, file, pkg string }{
		{"in", "Fake", "fake_breaker_test.go", "package in\n"},
		{"ext", "XFake", "xfake_breaker_test.go", "package ext_test\n"},
	} {
		// By directory, and by import path (which the test-file scan
		// does not look into).
		for _, pattern := range []string{".", "example.com/m/" + c.dir} {
			dir := filepath.Join(mod, c.dir)
			if err := runIn(dir, Config{Types: []string{c.typ}, Patterns: []string{pattern}}); err != nil {
				t.Fatalf("%s %s: %v", c.dir, pattern, err)
			}
			src, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(src), c.pkg) {
				t.Errorf("%s: want %q in\n%s", c.file, c.pkg, src)
			}
		}
	}
	testmod.Go(t, mod, "vet", "./...")
}

// TestRunTypeErrors checks that type errors stop generation only when they
// leave the interface incomplete: those in code that uses the wrapper before
// it exists, or in a stale wrapper, do not.
func TestRunTypeErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	t.Parallel()
	mod := testmod.WriteModule(t, map[string]string{
		"use/use.go":         "package use\n\ntype I interface{ Do() error }\n\nfunc use() { _ = NewIBreaker(nil, nil).Do }\n",
		"use/use_test.go":    "package use\n\nvar _ = NewIBreaker(nil, nil).Breaker\n",
		"stale/stale.go":     "package stale\n\ntype I interface {\n\tDo() error\n\tPing() error\n}\n\nvar _ = NewIBreaker(nil, nil).Ping\n",
		"stale/i_breaker.go": "// Code generated by \"breakergen -type=I\"; DO NOT EDIT.\n\npackage stale\n\ntype IBreaker struct{ next I }\n\nfunc NewIBreaker(next I, _ any) *IBreaker { return &IBreaker{next} }\n\nfunc (b *IBreaker) Do() error { return b.next.Do() }\n\nvar _ I = (*IBreaker)(nil)\n",
		"embed/embed.go":     "package embed\n\nimport \"example.com/nowhere\"\nimport \"strings\"\n\ntype I interface {\n\tnowhere.Pinger\n\tDo() error\n}\n\nfunc f() string { return strings.ToUpper(\"x\") }\n",
		"param/param.go":     "package param\n\nimport \"strings\"\n\ntype I[K Key] interface{ Do(K) error }\n\nfunc f() string { return strings.ToUpper(\"x\") }\n",
	})
	for _, dir := range []string{"use", "stale"} {
		if err := runIn(filepath.Join(mod, dir), Config{Types: []string{"I"}}); err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		testmod.Go(t, filepath.Join(mod, dir), "vet", ".")
	}
	for dir, want := range map[string]string{
		"embed": "embed.go:3:8: no required module provides package example.com/nowhere; to add it: go get example.com/nowhere",
		"param": "param.go:5:10: undefined: Key", // and no word of strings, used only in a body
	} {
		err := runIn(filepath.Join(mod, dir), Config{Types: []string{"I"}})
		if err == nil || !strings.HasPrefix(err.Error(), want) || dir == "param" && err.Error() != want || strings.Contains(err.Error(), "more errors") {
			t.Errorf("%s: error %v, want %q...", dir, err, want)
		}
		if _, err := os.Stat(filepath.Join(mod, dir, "i_breaker.go")); err == nil {
			t.Errorf("%s: i_breaker.go written", dir)
		}
	}
}

// isStale reports whether err says that a generated file is missing or out
// of date.
func isStale(err error) bool {
	_, ok := errors.AsType[*output.StaleError](err)
	return ok
}
