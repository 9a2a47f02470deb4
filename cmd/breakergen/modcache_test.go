package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// downloadModules puts every module version that the repository's go.sum
// names into the host's module cache, with the go command and the host's
// GOPROXY, before the scripts run offline (GOPROXY=off) from that cache.
//
// Building and testing the repository downloads only the modules it
// compiles. A script's module that requires breakergen through a replace
// directive needs more: go mod tidy there also reads modules, such as
// github.com/google/go-cmp, that only the tests of breakergen's
// dependencies import, and which are in go.sum for that reason. Without
// this step the scripts fail on a machine whose module cache is empty. On a
// warm cache the go command finds everything there and asks no proxy.
func downloadModules(repo string) error {
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		return err
	}
	args := []string{"mod", "download"}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(sum), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		mod := f[0] + "@" + strings.TrimSuffix(f[1], "/go.mod")
		if !seen[mod] {
			seen[mod] = true
			args = append(args, mod)
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod download: %v\n%s", err, stderr.Bytes())
	}
	return nil
}
