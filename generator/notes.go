package generator

import (
	"github.com/breakergen/breakergen/generator/internal/pathmsg"
)

// notes are the lines a successful run prints besides writing the file
// of r: a wrapper that guards nothing, a package the file starts, a
// requirement its module lacks (see requireNote).
func notes(t *target, r *rendered) []*pathmsg.Msg {
	out, file := r.out, r.file
	var lines []*pathmsg.Msg
	for i, it := range file.Interfaces {
		why := unguardedAll(it)
		if why == "" {
			continue
		}
		msg := pathmsg.Sprintf("warning: %s guards nothing: %s; it calls the wrapped %s directly", wrapperName(it.Name), why, it.Name)
		if writable(t) {
			msg = pathmsg.Sprintf("%s: %s", pathmsg.Pos(t.pkg.Fset.Position(t.objs[i].Pos()).String()), msg)
		}
		lines = append(lines, msg)
	}
	if out.newPkg {
		lines = append(lines, pathmsg.Sprintf("created package %s (package %s, directory %s) for %s", out.pkgPath, out.pkgName, pathmsg.Path(out.dir()), pathmsg.Path(out.file)))
	}
	return append(lines, requireNote(out)...)
}

// unguardedAll says why no method of it goes through the breaker, or
// returns "" when one does.
func unguardedAll(it *ifaceModel) string {
	if len(it.Methods) == 0 {
		return it.Name + " has no methods"
	}
	flag, marked := false, false
	for _, m := range it.Methods {
		if m.Guarded {
			return ""
		}
		flag = flag || m.Unguard == reasonSkipFlag
		marked = marked || m.Unguard == reasonSkip || m.Unguard == reasonSkipEmb
	}
	every := "every method of " + it.Name + " that returns an error is "
	switch {
	case flag && marked:
		return every + "listed in -skip or marked " + skipDirective
	case flag:
		return every + "listed in -skip"
	case marked:
		return every + "marked " + skipDirective
	}
	return "no method of " + it.Name + " returns an error"
}
