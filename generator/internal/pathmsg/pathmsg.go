// Package pathmsg builds the generator's messages with their file paths
// absolute, and makes those paths short for the user in one place, at the
// edge of a run (Short). The stages name a path by its type (Path, Pos,
// Text) instead of shortening it themselves, so none of them needs to
// know the directory messages are relative to. Similar tells the names a
// message may suggest for one that is not found.
//
// It imports only the standard library; every stage of the generator may
// import it.
package pathmsg

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// A Path is an absolute file or directory path in a message.
type Path string

// A Pos is a "file:line:col" position in a message, its file absolute.
type Pos string

// A Text is text from elsewhere, such as the go command's output, whose
// absolute paths are made short where they start a word.
type Text string

// A Msg is a message whose Path, Pos, Text and *Msg arguments are rendered
// when it is: absolutely by Error and String, relative to a directory by
// Render.
type Msg struct {
	format string
	args   []any
}

// Sprintf is a message that formats format with args, as fmt.Sprintf does.
func Sprintf(format string, args ...any) *Msg {
	return &Msg{format: format, args: args}
}

// Errorf is Sprintf as an error. Its format may wrap errors with %w, as
// fmt.Errorf's does.
func Errorf(format string, args ...any) error {
	return &Msg{format: format, args: args}
}

// Error is m with its paths absolute.
func (m *Msg) Error() string { return m.Render("") }

// String is m with its paths absolute.
func (m *Msg) String() string { return m.Render("") }

// Unwrap is the errors m wraps with %w.
func (m *Msg) Unwrap() []error {
	var errs []error
	n := 0
	for i := 0; i < len(m.format)-1; i++ {
		if m.format[i] != '%' {
			continue
		}
		i++
		for i < len(m.format) && strings.IndexByte("+-# 0123456789.", m.format[i]) >= 0 {
			i++
		}
		if i >= len(m.format) {
			break
		}
		switch m.format[i] {
		case '%':
			continue
		case 'w':
			if n < len(m.args) {
				if err, ok := m.args[n].(error); ok {
					errs = append(errs, err)
				}
			}
		}
		n++
	}
	return errs
}

// Render is m with its paths relative to dir where that is shorter, or
// absolute when dir is "".
func (m *Msg) Render(dir string) string {
	args := make([]any, len(m.args))
	for i, a := range m.args {
		args[i] = render(dir, a)
	}
	return fmt.Sprintf(strings.ReplaceAll(m.format, "%w", "%v"), args...)
}

func render(dir string, a any) any {
	switch a := a.(type) {
	case Path:
		return short(dir, string(a))
	case Pos:
		return shortPos(dir, string(a))
	case Text:
		return shortText(dir, string(a))
	case *Msg:
		return a.Render(dir)
	case error:
		return shortError(dir, a)
	}
	return a
}

// Short is err with the paths of its messages relative to dir where that
// is shorter. It wraps err, so errors.As still finds what err holds.
func Short(dir string, err error) error {
	if err == nil {
		return nil
	}
	return &shortened{msg: shortError(dir, err), err: err}
}

type shortened struct {
	msg string
	err error
}

func (e *shortened) Error() string { return e.msg }
func (e *shortened) Unwrap() error { return e.err }

// shortError is the text of err with the paths of the messages it holds
// made short: the text of each *Msg in its chain, as it reads absolute,
// is replaced by its rendering, so that a stage may wrap a Msg with
// fmt.Errorf and still have its paths made short.
func shortError(dir string, err error) string {
	if m, ok := err.(*Msg); ok {
		return m.Render(dir)
	}
	text := err.Error()
	if dir == "" {
		return text
	}
	var walk func(error)
	walk = func(e error) {
		switch e := e.(type) {
		case *Msg:
			text = strings.ReplaceAll(text, e.Error(), e.Render(dir))
			return
		case interface{ Unwrap() error }:
			if inner := e.Unwrap(); inner != nil {
				walk(inner)
			}
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
	return text
}

// short is path relative to dir when that is shorter.
func short(dir, path string) string {
	if dir == "" {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || len(rel) >= len(path) {
		return path
	}
	return rel
}

// shortPos is pos with its file name made short by short.
func shortPos(dir, pos string) string {
	file := File(pos)
	if file == "" || !filepath.IsAbs(file) {
		return pos
	}
	return short(dir, file) + pos[len(file):]
}

// absPath matches an absolute path in a message, up to a colon, space or
// the end.
var absPath = regexp.MustCompile(`(^|[\s(])(/[^\s:]+)`)

// shortText is text with the absolute paths that start a word made short.
func shortText(dir, text string) string {
	return absPath.ReplaceAllStringFunc(text, func(s string) string {
		lead := ""
		if s[0] != '/' {
			lead, s = s[:1], s[1:]
		}
		if !filepath.IsAbs(s) {
			return lead + s
		}
		return lead + short(dir, s)
	})
}

// File is the file name of a "file:line:col" position; "" for "-".
func File(pos string) string {
	file := pos
	for range 2 {
		if i := strings.LastIndexByte(file, ':'); i > 0 && isDigits(file[i+1:]) {
			file = file[:i]
		}
	}
	if file == "" || file == "-" {
		return ""
	}
	return file
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
