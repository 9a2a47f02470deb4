package generator

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breakergen/breakergen/generator/internal/testmod"
)

// shapes are the shapes of TestShapes.
var shapes = append(shapesA, shapesB...)

// TestShapes generates a wrapper for every shape, with one breaker and with
// -per-method, and checks that the module builds and vets.
func TestShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	t.Parallel()
	files := shapeFiles(shapes)
	// The behaviour test constructs the wrapper with one breaker or a set.
	files[filepath.Join("behave", "wrap_test.go")] = "package behave\n\nimport \"github.com/breakergen/breakergen/runtime\"\n\nfunc wrap(f Agent, opts []runtime.Option) *AgentBreaker {\n\treturn NewAgentBreaker(f, runtime.New(\"agent\", opts...))\n}\n"
	files[filepath.Join("behavepm", "wrap_test.go")] = "package behavepm\n\nimport \"github.com/breakergen/breakergen/runtime\"\n\nfunc wrap(f Agent, opts []runtime.Option) *AgentBreaker {\n\treturn NewAgentBreaker(f, runtime.NewSet(\"agent\", runtime.WithBreakerOptions(opts...)))\n}\n"
	mod := testmod.WriteModule(t, files)
	for _, s := range shapes {
		for _, variant := range s.variants() {
			cfg := Config{Types: strings.Split(s.types, ","), Output: s.outputFor(variant), Tags: s.tags, PerMethod: variant == "pm", Dir: filepath.Join(mod, s.name+variant)}
			if err := Run(cfg); err != nil {
				t.Errorf("%s%s: %v", s.name, variant, err)
			}
		}
	}
	if t.Failed() {
		return
	}
	// Every generated file is gofmt'd.
	filepath.WalkDir(mod, func(path string, d os.DirEntry, err error) error {
		if strings.HasSuffix(path, "_breaker.go") || strings.HasSuffix(path, "_breaker_test.go") {
			src, _ := os.ReadFile(path)
			if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
				t.Errorf("%s is not gofmt'd: %v", path, err)
			}
		}
		return nil
	})
	// The tags shape's wrapper needs its tag; no other package minds it.
	testmod.Go(t, mod, "vet", "-tags=extra", "./...")
	testmod.Go(t, mod, "test", "./behave", "./behavepm")
}

// variants are the suffixes of the packages of s: "" for one breaker,
// "pm" for -per-method.
func (s shape) variants() []string {
	if s.noPM {
		return []string{""}
	}
	return []string{"", "pm"}
}

// outputFor is the -output of s in its variant's package.
func (s shape) outputFor(variant string) string {
	output := s.output
	if variant == "pm" && output != "" {
		output = strings.ReplaceAll(output, "../"+s.name+"wrap", "../"+s.name+"pmwrap")
		output = strings.ReplaceAll(output, "../"+s.name+"/", "../"+s.name+"pm/")
	}
	return output
}

// shapeFiles are the files of the module of shapes, each shape in a
// package of each of its variants.
func shapeFiles(shapes []shape) map[string]string {
	files := map[string]string{}
	for _, s := range shapes {
		for _, variant := range s.variants() {
			dir := s.name + variant
			for name, src := range s.files {
				files[filepath.Join(dir, name)] = s.source(dir, src)
			}
		}
	}
	return files
}

// source is the source src of a file of s in the package directory dir.
func (s shape) source(dir, src string) string {
	src = strings.ReplaceAll(src, "example.com/m/"+s.name, "example.com/m/"+dir)
	if !strings.HasPrefix(strings.TrimSpace(src), "package") && !strings.HasPrefix(src, "//go:build") {
		src = "package " + dir + "\n" + src
	}
	src = strings.ReplaceAll(src, "package PKG\n", "package "+dir+"\n")
	src = strings.ReplaceAll(src, "package "+s.name+"\n", "package "+dir+"\n")
	src = strings.ReplaceAll(src, "package "+s.name+"_test\n", "package "+dir+"_test\n")
	return strings.ReplaceAll(src, "\t\""+"example.com/m/"+dir+"\"", "\t\"example.com/m/"+dir+"\"")
}
