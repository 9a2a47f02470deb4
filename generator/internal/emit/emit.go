package emit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/breakergen/breakergen/generator/internal/gomod"
	"github.com/breakergen/breakergen/generator/internal/model"

	"github.com/breakergen/breakergen/generator/internal/pathmsg"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/imports"
)

// File renders f as gofmt'd Go source.
func File(f *model.File) ([]byte, error) {
	out := jen.NewFilePathName(f.PkgPath, f.PkgName)
	// jennifer renders a comment that starts with // as it is.
	head := f.Header
	if f.Build != "" {
		// After the header and a blank line, on its own line, as the go
		// command wants it.
		head += "\n\n//go:build " + f.Build
	}
	out.HeaderComment(head)
	for _, path := range slices.Sorted(maps.Keys(f.Imports)) {
		// An explicit name wherever the path does not end in the
		// package's name: example.com/go-wire for package wire gets one;
		// math/rand/v2 for package rand does not.
		if imp := f.Imports[path]; imp.Name == imp.Pkg && imp.Pkg == gomod.AssumedName(path) {
			out.ImportName(path, imp.Name)
		} else {
			out.ImportAlias(path, f.Imports[path].Name)
		}
	}
	if _, ok := f.Imports[model.RuntimePath]; !ok {
		out.ImportName(model.RuntimePath, "runtime")
	}
	rt := "runtime"
	if imp, ok := f.Imports[model.RuntimePath]; ok {
		rt = imp.Name
	}
	for _, it := range f.Interfaces {
		emitInterface(out, it, f.PerMethod, rt)
	}
	// Formatting is gofmt's, on every processor.
	out.NoFormat = true
	var buf bytes.Buffer
	if err := out.Render(&buf); err != nil {
		return nil, pathmsg.Errorf("render: %w", err)
	}
	src, err := gofmt(buf.Bytes())
	if err != nil {
		return nil, pathmsg.Errorf("format: %w", err)
	}
	return formatFile(src)
}

// formatFile groups the imports of src, gofmt'd, as goimports does,
// without adding or removing any: the standard library first. Only the
// file's head, up to the end of its imports, goes through
// golang.org/x/tools/imports, which formats what it is given twice: the
// declarations that follow come out of it as gofmt left them.
func formatFile(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return nil, pathmsg.Errorf("format: %w", err)
	}
	if len(f.Imports) == 0 {
		return src, nil
	}
	end := fset.Position(f.Imports[len(f.Imports)-1].End()).Offset
	if d := f.Decls[len(f.Decls)-1].(*ast.GenDecl); d.Rparen.IsValid() {
		end = fset.Position(d.Rparen).Offset + 1
	}
	head, err := imports.Process("", src[:end], &imports.Options{FormatOnly: true, Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, pathmsg.Errorf("format: %w", err)
	}
	return append(bytes.TrimRight(head, "\n"), src[end:]...), nil
}

func emitInterface(f *jen.File, it *model.Interface, perMethod bool, runtimeName string) {
	n := newNames(it, runtimeName)
	iface := func() *jen.Statement { return n.ifaceType(it) }
	breakerType := jen.Op("*").Qual(model.RuntimePath, "Breaker")
	setType := jen.Op("*").Qual(model.RuntimePath, "Set")

	// The wrapper type.
	var doc string
	if perMethod {
		doc = fmt.Sprintf("%s is %s %s whose methods that return an error each go through a circuit breaker of their own, so that one failing method does not block the others. While a method's breaker is open the method returns a %s without calling the wrapped %s.", n.Wrapper, article(it.Name), it.Name, n.rejection, it.Name)
	} else {
		doc = fmt.Sprintf("%s is %s %s whose methods that return an error go through a circuit breaker. While the breaker is open they return a %s without calling the wrapped %s.", n.Wrapper, article(it.Name), it.Name, n.rejection, it.Name)
	}
	if slices.ContainsFunc(it.Methods, func(m model.Method) bool { return m.ResultErr }) {
		doc += " So do the methods whose result carries its error: they report the result's Err, and while open return a result that holds the rejection."
	}
	if slices.ContainsFunc(it.Methods, func(m model.Method) bool { return m.Context }) {
		doc += " A method whose first parameter is a context.Context returns the context's error instead when the context is already done."
	}
	if n.Accessor == "" {
		what, name := "breaker", "Breaker"
		if perMethod {
			what, name = "set of breakers", "Breakers"
		}
		doc += fmt.Sprintf("\n\nIt has no accessor for its %s: %s is a method of %s, which it wraps like the others. Keep the %s given to %s.", what, name, it.Name, what, n.Ctor)
	}
	docf(f, "%s", doc)
	fields := []jen.Code{jen.Id(n.Next).Add(iface())}
	if perMethod {
		fields = append(fields, jen.Id(n.CB).Add(setType))
		for _, m := range it.Methods {
			if m.Guarded {
				fields = append(fields, jen.Id(n.MethodCB[m.Name]).Add(breakerType))
			}
		}
	} else {
		fields = append(fields, jen.Id(n.CB).Add(breakerType))
	}
	f.Type().Id(n.Wrapper).Types(n.typeParams...).Struct(fields...)
	f.Line()

	// The constructor.
	var ctorArg jen.Code
	if perMethod {
		docf(f, "%s returns %s %s that calls %s through one breaker per method, each taken from %s under the method's name.", n.Ctor, article(n.Wrapper), n.Wrapper, n.ArgNext, n.ArgCB)
		ctorArg = jen.Id(n.ArgCB).Add(setType)
	} else {
		docf(f, "%s returns %s %s that calls %s through %s.", n.Ctor, article(n.Wrapper), n.Wrapper, n.ArgNext, n.ArgCB)
		ctorArg = jen.Id(n.ArgCB).Add(breakerType)
	}
	f.Func().Id(n.Ctor).Types(n.typeParams...).
		Params(jen.Id(n.ArgNext).Add(iface()), ctorArg).
		Add(n.wrapperType()).
		Block(jen.Return(jen.Op("&").Id(n.Wrapper).Types(n.tpArgs...).Add(fieldValues(n, it, perMethod))))
	f.Line()

	// The accessor.
	if n.Accessor != "" {
		if perMethod {
			docf(f, "%s returns the set that holds the breakers of %s's methods.", n.Accessor, n.recv)
			f.Func().Params(jen.Id(n.recv).Add(n.wrapperType())).Id(n.Accessor).Params().Add(setType).
				Block(jen.Return(jen.Id(n.recv).Dot(n.CB)))
		} else {
			docf(f, "%s returns the circuit breaker that guards %s.", n.Accessor, n.recv)
			f.Func().Params(jen.Id(n.recv).Add(n.wrapperType())).Id(n.Accessor).Params().Add(breakerType).
				Block(jen.Return(jen.Id(n.recv).Dot(n.CB)))
		}
		f.Line()
	}

	for _, code := range methodCodes(it, n, perMethod) {
		f.Add(code)
		f.Line()
	}

	// The tripwire.
	docf(f, "If this does not compile, %s has changed since %s was generated: run go generate.", it.Name, n.Wrapper)
	check := jen.Var().Id("_").Add(iface()).Op("=").Parens(n.wrapperType()).Call(jen.Nil())
	if len(it.TypeParams) == 0 {
		f.Add(check)
	} else {
		f.Func().Id("_").Types(n.typeParams...).Params().Block(check)
	}
}

// methodCodes is the declarations of the methods of it's wrapper, in
// order (see methodCode). They are built on every processor at once: an
// interface such as go-redis's Cmdable has hundreds of methods.
func methodCodes(it *model.Interface, n *names, perMethod bool) []*jen.Statement {
	codes := make([]*jen.Statement, len(it.Methods))
	workers := min(runtime.GOMAXPROCS(0), len(it.Methods)/64+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(codes); i += workers {
				codes[i] = methodCode(it, n, it.Methods[i], perMethod)
			}
		})
	}
	wg.Wait()
	return codes
}

// fieldValues is the composite literal of the wrapper, with fields in
// declaration order.
func fieldValues(n *names, it *model.Interface, perMethod bool) jen.Code {
	items := []jen.Code{
		jen.Id(n.Next).Op(":").Id(n.ArgNext),
		jen.Id(n.CB).Op(":").Id(n.ArgCB),
	}
	if !perMethod {
		return jen.Values(items...)
	}
	for _, m := range it.Methods {
		if f, ok := n.MethodCB[m.Name]; ok {
			items = append(items, jen.Id(f).Op(":").Id(n.ArgCB).Dot("Get").Call(jen.Lit(m.Name)))
		}
	}
	return jen.ValuesFunc(func(g *jen.Group) {
		for _, item := range items {
			g.Line().Add(item)
		}
		g.Line()
	})
}

// methodCode is the declaration of method m of the wrapper, with its doc
// comment.
func methodCode(it *model.Interface, n *names, m model.Method, perMethod bool) *jen.Statement {
	recv := jen.Id(n.recv).Add(n.wrapperType())
	args := make([]jen.Code, len(m.Params))
	for i, name := range m.Params {
		args[i] = jen.Id(name)
		if m.Sig.Variadic() && i == len(m.Params)-1 {
			args[i] = jen.Id(name).Op("...")
		}
	}
	call := jen.Id(n.recv).Dot(n.Next).Dot(m.Name).Call(args...)

	if !m.Guarded {
		sig := signatureCode(m.Sig, m.Params, nil, n.tparams)
		body := call
		if m.Sig.Results().Len() > 0 {
			body = jen.Return(call)
		}
		return jen.Commentf("%s calls %s of the wrapped %s without the breaker: %s.", m.Name, m.Name, it.Name, m.Unguard).Line().
			Func().Params(recv).Id(m.Name).Add(sig).Block(body)
	}

	field := n.CB
	if perMethod {
		field = n.MethodCB[m.Name]
	}
	allow := jen.Id(n.recv).Dot(field).Dot("Allow").Call()
	if m.Context {
		allow = jen.Id(n.recv).Dot(field).Dot("AllowContext").Call(jen.Id(m.Params[0]))
	}
	if m.ResultErr {
		return resultErrCode(it, n, m, allow, call, perMethod)
	}
	nres := len(m.Results)
	var sig *jen.Statement
	if nres == 1 {
		sig = signatureCode(m.Sig, m.Params, nil, n.tparams)
	} else {
		sig = signatureCode(m.Sig, m.Params, m.Results, n.tparams)
	}
	results := make([]jen.Code, nres)
	for i, name := range m.Results {
		results[i] = jen.Id(name)
	}
	through := "the breaker"
	if perMethod {
		through = "its own breaker"
	}
	assign := jen.List(results...).Op("=").Add(call)
	errVar := m.Results[nres-1]
	return jen.Commentf("%s calls %s of the wrapped %s through %s.", m.Name, m.Name, it.Name, through).Line().
		Func().Params(recv).Id(m.Name).Add(sig).Block(
		jen.List(jen.Id(m.Permit), jen.Id(errVar)).Op(":=").Add(allow),
		jen.If(jen.Id(errVar).Op("!=").Nil()).Block(jen.Return(results...)),
		jen.Defer().Id(m.Permit).Dot("Release").Call(),
		assign,
		jen.Id(m.Permit).Dot("Done").Call(jen.Id(errVar)),
		jen.Return(results...),
	)
}
