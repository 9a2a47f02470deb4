package generator

import (
	"github.com/breakergen/breakergen/generator/internal/load"
	"github.com/breakergen/breakergen/generator/internal/model"
	"github.com/breakergen/breakergen/generator/internal/output"
	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// notes are the lines a successful run prints besides writing the file
// of r: a wrapper that guards nothing, a package the file starts, a
// requirement its module lacks (see output.RequireNote).
func notes(t *load.Target, r *rendered) []*pathmsg.Msg {
	out, file := r.out, r.file
	var lines []*pathmsg.Msg
	for i, it := range file.Interfaces {
		why := unguardedAll(it)
		if why == "" {
			continue
		}
		msg := pathmsg.Sprintf("warning: %s guards nothing: %s; it calls the wrapped %s directly", model.WrapperName(it.Name), why, it.Name)
		if load.Writable(t) {
			msg = pathmsg.Sprintf("%s: %s", pathmsg.Pos(t.Pkg.Fset.Position(t.Objs[i].Pos()).String()), msg)
		}
		lines = append(lines, msg)
	}
	if out.NewPkg {
		lines = append(lines, pathmsg.Sprintf("created package %s (package %s, directory %s) for %s", out.PkgPath, out.PkgName, pathmsg.Path(out.Dir()), pathmsg.Path(out.Path)))
	}
	return append(lines, output.RequireNote(out)...)
}

// unguardedAll says why no method of it goes through the breaker, or
// returns "" when one does.
func unguardedAll(it *model.Interface) string {
	if len(it.Methods) == 0 {
		return it.Name + " has no methods"
	}
	flag, marked := false, false
	for _, m := range it.Methods {
		if m.Guarded {
			return ""
		}
		flag = flag || m.Unguard == model.ReasonSkipFlag
		marked = marked || m.Unguard == model.ReasonSkip || m.Unguard == model.ReasonSkipEmb
	}
	every := "every method of " + it.Name + " that returns an error is "
	switch {
	case flag && marked:
		return every + "listed in -skip or marked " + model.SkipDirective
	case flag:
		return every + "listed in -skip"
	case marked:
		return every + "marked " + model.SkipDirective
	}
	return "no method of " + it.Name + " returns an error"
}
