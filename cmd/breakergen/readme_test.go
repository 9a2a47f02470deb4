package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// installScript matches a link from the README to a script in testdata/script.
var installScript = regexp.MustCompile(`testdata/script/([\w.-]+\.txtar)`)

// installStep is a subsection of the README's Install section: the shell
// commands it gives and the scripts that say they run them.
type installStep struct {
	heading  string
	commands []string
	scripts  []string
}

// TestREADMEInstall checks that the commands of the README's Install section
// are tested as written: every subsection with shell commands links the
// scripts that run them, and each of those scripts runs each command, in
// order, with exec. The one exception is git clone, which needs the network;
// the scripts stand the checkout in for the clone.
func TestREADMEInstall(t *testing.T) {
	steps := readInstallSteps(t, filepath.Join("..", "..", "README.md"))
	if len(steps) == 0 {
		t.Fatal("README.md: no shell commands under ## Install")
	}
	for _, step := range steps {
		if len(step.scripts) == 0 {
			t.Errorf("README.md: ### %s gives commands %q but links no testdata/script/*.txtar that runs them", step.heading, step.commands)
			continue
		}
		for _, name := range step.scripts {
			execs := scriptExecs(t, filepath.Join("..", "..", "testdata", "script", name))
			i := 0
			for _, cmd := range step.commands {
				for i < len(execs) && execs[i] != cmd {
					i++
				}
				if i == len(execs) {
					t.Errorf("%s does not run %q from README.md's ### %s (in order, with exec)", name, cmd, step.heading)
					break
				}
				i++
			}
		}
	}
}

// readInstallSteps returns the subsections of the README's Install section
// that hold shell commands, other than git clone.
func readInstallSteps(t *testing.T, path string) []installStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		steps           []installStep
		inShell, inside bool
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inShell && line == "```":
			inShell = false
		case inShell:
			if cmd := strings.TrimSpace(line); cmd != "" && !strings.HasPrefix(cmd, "git clone ") {
				steps[len(steps)-1].commands = append(steps[len(steps)-1].commands, cmd)
			}
		case strings.HasPrefix(line, "## "):
			inside = line == "## Install"
			if inside {
				steps = append(steps, installStep{heading: "Install"})
			}
		case !inside:
		case strings.HasPrefix(line, "### "):
			steps = append(steps, installStep{heading: strings.TrimPrefix(line, "### ")})
		case line == "```sh":
			inShell = true
		default:
			for _, m := range installScript.FindAllStringSubmatch(line, -1) {
				steps[len(steps)-1].scripts = append(steps[len(steps)-1].scripts, m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var out []installStep
	for _, s := range steps {
		if len(s.commands) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// scriptExecs returns the commands that a script runs with exec, in order.
func scriptExecs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	script, _, _ := strings.Cut(string(data), "\n-- ")
	var execs []string
	for line := range strings.Lines(script) {
		if cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "exec "); ok {
			execs = append(execs, cmd)
		}
	}
	return execs
}
