package generator

import (
	"go/build/constraint"
	"slices"

	"github.com/breakergen/breakergen/generator/internal/buildcons"
	"github.com/breakergen/breakergen/generator/internal/emit"
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// A rendered file is the wrappers of one target: where they go, their
// model and their source.
type rendered struct {
	out  *output.File
	dest string // the file to write: out.file, or where a symbolic link there points
	file *model.File
	src  []byte
}

// generate decides where the wrappers of the interfaces of t go, renders
// them with the build constraint build and the header that header makes
// for that output, and checks that they can be written there.
func generate(req *request, t *load.Target, build string, header func(*output.File) string) (*rendered, error) {
	out, err := output.For(req.outRequest(), t)
	if err != nil {
		return nil, err
	}
	file, err := model.NewFile(t, out.Dest, model.Options{PerMethod: req.perMethod, Skip: req.skip, ResultErr: req.resultErr})
	if err != nil {
		return nil, err
	}
	file.Build = buildLine(build, t)
	file.Header = header(out)
	// The checks of the destination read the file system, not the
	// rendering: they run beside it, and a rendering error comes first.
	var dest string
	var checkErr error
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		dest, checkErr = output.Check(req.outRequest(), t, out)
	}()
	src, err := emit.File(file)
	<-checked
	if err != nil {
		return nil, pathmsg.Errorf("%s: %w", req.types[0], err)
	}
	if checkErr != nil {
		return nil, checkErr
	}
	return &rendered{out: out, dest: dest, file: file, src: src}, nil
}

// buildLine is the expression of the //go:build line of the wrappers of
// t: build, that of the tags, and the constraint of the files that declare
// the types, so that the wrappers build exactly where the types exist.
func buildLine(build string, t *load.Target) string {
	var tags constraint.Expr
	if build != "" {
		tags, _ = constraint.Parse("//go:build " + build)
	}
	var files []string
	for _, obj := range t.Objs {
		if file := t.Pkg.Fset.Position(obj.Pos()).Filename; !slices.Contains(files, file) {
			files = append(files, file)
		}
	}
	if x := buildcons.And(tags, buildcons.Files(files...)); x != nil {
		return x.String()
	}
	return ""
}
