package generator

import "github.com/breakergen/breakergen/generator/internal/pathmsg"

// A rendered file is the wrappers of one target: where they go, their
// model and their source.
type rendered struct {
	out  *output
	dest string // the file to write: out.file, or where a symbolic link there points
	file *outFile
	src  []byte
}

// generate decides where the wrappers of the interfaces of t go, renders
// them with the build constraint build and the header that header makes
// for that output, and checks that they can be written there.
func generate(req *request, t *target, build string, header func(*output) string) (*rendered, error) {
	out, err := outputFor(req.outRequest(), t)
	if err != nil {
		return nil, err
	}
	file, err := newFile(t, out.dest, req.perMethod, req.skip)
	if err != nil {
		return nil, err
	}
	file.Build = build
	file.Header = header(out)
	src, err := emit(file)
	if err != nil {
		return nil, pathmsg.Errorf("%s: %w", req.types[0], err)
	}
	dest, err := checkOutput(req.outRequest(), t, out)
	if err != nil {
		return nil, err
	}
	return &rendered{out: out, dest: dest, file: file, src: src}, nil
}
