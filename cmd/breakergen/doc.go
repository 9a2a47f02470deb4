// Breakergen writes circuit-breaker decorators for Go interfaces.
//
// Given the name of an interface, breakergen writes a new Go source file
// with a type that implements the same interface by calling another value
// of it through a circuit breaker of package
// github.com/breakergen/breakergen/runtime. While the breaker is open, the
// guarded methods return a *runtime.CircuitBreakerError that says when to
// retry, and the wrapped value is not called.
//
// For example, given this file
//
//	package agent
//
//	//go:generate go tool breakergen -type=AgentClient
//
//	type AgentClient interface {
//		Dispatch(ctx context.Context, task Task) (Result, error)
//		Close() error
//		Name() string
//	}
//
// running this command in the same directory
//
//	breakergen -type=AgentClient
//
// creates the file agentclient_breaker.go, in package agent, containing
//
//	type AgentClientBreaker struct{ ... }
//	func NewAgentClientBreaker(next AgentClient, cb *runtime.Breaker) *AgentClientBreaker
//	func (b *AgentClientBreaker) Breaker() *runtime.Breaker
//
// and one method per method of AgentClient, such as
//
//	// Dispatch calls Dispatch of the wrapped AgentClient through the breaker.
//	func (b *AgentClientBreaker) Dispatch(ctx context.Context, task Task) (r0 Result, err error) {
//		p, err := b.cb.AllowContext(ctx)
//		if err != nil {
//			return r0, err
//		}
//		defer p.Release()
//		r0, err = b.next.Dispatch(ctx, task)
//		p.Done(err)
//		return r0, err
//	}
//
// Parameters and results keep the names the interface gives them; unnamed
// and blank ones become p0, p1, ... and r0, r1, ..., and an unnamed error
// result err, each unless the interface uses that name. The receiver b and
// the permit p keep their names in every method; a parameter or result
// with one of those names takes a numeric suffix in its own method only.
// Imported packages keep their
// names; when two share one (math/rand and math/rand/v2), or one is taken
// in the package, they take the names the interface's file imports them
// under, else an alias such as randv2.
//
// A method whose last result is error (or an alias of it) is guarded. A
// panic in the wrapped method counts as a failure and propagates unchanged.
// When the first parameter is a context.Context, a call whose context is
// already done returns ctx.Err() without taking a permit, and a failure
// observed after the context was canceled does not count against the
// breaker (a deadline that runs out does). A
// method without an error result cannot report a rejection, so it calls the
// wrapped method directly; so does a method named by -skip, and a method
// whose doc comment in the interface has a line
//
//	//breakergen:skip
//
// and so does every method that an embedded interface brings in when that
// line stands above the embedding, as in
//
//	type AgentClient interface {
//		//breakergen:skip
//		io.Closer
//		Dispatch(ctx context.Context, task Task) (Result, error)
//	}
//
// The generated code says which methods are unguarded and why. Methods
// appear in the order of the interface's source, those of an embedded
// interface where it is embedded (an interface of another package, which
// is read from export data, lists its own methods before its embedded
// ones). A line
//
//	var _ AgentClient = (*AgentClientBreaker)(nil)
//
// stops the build when the interface changes and the file is stale.
//
// The accessor Breaker (Breakers with -per-method) returns what the
// constructor was given. When the interface has a method of that name, the
// wrapper's method of that name is the interface's, guarded like the
// others, and there is no accessor: keep the breaker (or set) you pass to
// the constructor. The wrapper type's doc comment says so.
//
// Generic interfaces give generic wrappers: Store[K comparable, V any]
// becomes StoreBreaker[K, V] with NewStoreBreaker[K comparable, V any].
//
// Usage:
//
//	breakergen -type=T[,T...] [flags] [package | directory]
//	breakergen [-tags list] [-check] packages
//
// The second form is batch mode: without -type, breakergen loads every
// package the patterns match in one load and writes a file for every
// interface whose doc comment has a line
//
//	//breakergen:generate [-per-method] [-result-err] [-output=file] [-skip=Method,...]
//
// with the flags of that line, -output relative to the package's
// directory, so that one directive at the module root,
//
//	//go:generate go tool breakergen ./...
//
// generates the whole module (as for the go command, ./... does not enter
// a nested module, one with a go.mod of its own). Two interfaces that would write the same
// file are an error. A file that batch mode generated for an interface
// that no longer asks for it (renamed, deleted, unmarked, or with another
// -output) is removed, and a line on standard error says so; files
// without batch mode's header are never touched. -type with a "..."
// pattern, or -output, -per-method, -result-err or -skip without -type, is a usage
// error.
//
// The flags are:
//
//	-type list
//		Comma-separated list of interface names; required, except in
//		batch mode. Several types are written into one file, from one
//		load of the package. A -type with no name in it, as -type= or
//		-type=$T with T unset, is a usage error, not batch mode.
//	-output file
//		Output file; default <type>_breaker.go, where <type> is the first
//		name given to -type in lower case, in the directory of the
//		package, or, for an interface of another module (the standard
//		library's, a dependency's, another workspace module's), in the
//		current directory. An interface declared in a _test.go file gets
//		<type>_breaker_test.go. A file in another directory belongs to
//		the package there (a new one is named after the directory), and
//		every name is qualified; an unexported interface, method or type
//		in a signature makes that an error. The go command says which
//		module holds the directory and so the package's import path, in a
//		module, a workspace (go.work) or with -mod=vendor alike.
//		Breakergen writes only inside the main module or workspace: never
//		into the module cache, GOROOT, a dependency's directory or a
//		vendor directory.
//	-tags list
//		Comma-separated list of build tags to apply when loading. The
//		file gets a //go:build line that requires all of them, so that
//		it builds only where the declarations they select exist.
//	-per-method
//		One breaker per method instead of one for the whole value: the
//		constructor takes a *runtime.Set and takes each guarded method's
//		breaker from it once, under the method's name, so a failing
//		Dispatch does not block Status. The accessor is Breakers.
//	-result-err
//		Also guard the methods whose last result is not an error but
//		reports one with an Err() error method (through its method set,
//		pointer receivers included), such as every command of go-redis's
//		Cmdable (*redis.StringCmd, ...). The wrapper reports the result's
//		Err to the breaker (a nil pointer counts as what its Err says,
//		without panicking), and while the breaker is open it returns a
//		new result whose SetErr(error) holds the rejection, so that
//		errors.Is(cmd.Err(), runtime.ErrOpen) holds. A result type without
//		SetErr, or an interface, is an error naming the method: skip it.
//		Without the flag such methods pass through, and the generated
//		doc comment says why.
//	-skip list
//		Comma-separated list of methods that pass through unguarded,
//		as if marked //breakergen:skip, including those an embedded
//		interface of another package brings in. A name that is no
//		method of the interfaces is an error that lists their methods.
//	-check
//		Write nothing; exit with status 1 and a one-line summary of the
//		difference when the output file is missing or differs from what
//		would be generated; a file in the way that is not generated code
//		gets the same error as generation gives. For CI. Give it the
//		configuration of the //go:generate line, spelled in any way. In
//		batch mode, one line for every file that is missing, stale or
//		left over.
//	-version
//		Print the version of the module the command was built from and
//		exit; for a command built from a clone through a replace
//		directive, the directory that replaced the module follows "=>".
//
// The remaining arguments name the package: package patterns or a
// directory, as for go list; default ".", the directory go generate runs
// the command in. The package may be another module's, such as net/http or
// a dependency's client:
//
//	//go:generate go tool breakergen -type=RoundTripper net/http
//
// writes roundtripper_breaker.go into the package of the directive's
// directory, with a RoundTripperBreaker that implements http.RoundTripper.
//
// The file starts with a line such as
//
//	// Code generated by "breakergen -type=AgentClient"; DO NOT EDIT.
//
// built from the configuration: the flags in the order -type, -output,
// -tags, -per-method, -result-err, -skip, with -output relative to the file's directory
// and only when the file is not the default one, and the package only when
// it is not the file's. However the command is spelled and wherever it
// runs, the bytes are the same; no path of the machine reaches the file.
// Batch mode's files start with
//
//	// Code generated by breakergen from "//breakergen:generate" on AgentClient; DO NOT EDIT.
//
// instead. Breakergen refuses to overwrite a file
// that does not start with one of these lines, hand-written or another
// generator's, writes through a temporary file renamed into place, and
// leaves the file untouched when nothing changed. A previously
// generated file that no longer compiles does not stop its regeneration,
// nor does any other type error that leaves the interface itself whole,
// such as a call of the wrapper that does not exist yet; a syntax error,
// or a type error in the interface's methods, embedded interfaces or type
// parameters, does, and is reported with its position.
//
// Flags go before the package; one after it is a usage error that shows
// the command with the flags first, and so is a flag given twice. With -h, breakergen prints what it
// does, an example directive and the flags.
//
// The output file may be a symbolic link: breakergen writes through it,
// and refuses a link that leads nowhere or out of the main module or
// workspace. So may a directory of -output's path: the file joins the
// package of the directory the link leads to. It refuses an -output the
// go command would never build (a name starting with _ or ., one for
// another system such as x_windows.go, a file in a testdata directory), a
// file that holds the wrapper of an interface this run does not generate
// and that still exists (another directive writes it), and a file whose
// name differs from an existing one only in case, which on macOS and
// Windows is the same file. A temporary file left by a run that was
// killed is removed by the next run in that directory.
//
// Errors go to standard error as one line, with a position where there is
// one. The exit status is 2 for a usage error, 1 for any other error, and
// then no file is written. A failure of the go command itself (a go.mod
// that does not parse, inconsistent vendoring, a go.work naming a missing
// module, an import that no required module provides) is reported in the
// go command's words, with its advice; a type declared only in a file the
// build excludes is reported with the -tags, GOOS/GOARCH or CGO_ENABLED
// that includes it.
//
// A successful run may print lines of its own: a warning when a wrapper
// guards nothing, a warning with the go get (or go mod vendor) command
// when the module cannot build the file because it does not require
// github.com/breakergen/breakergen/runtime, and the import path of a
// package that the file starts in a new directory.
package main
