// Package model says what a generated file holds: for each interface, its
// methods in source order, which are guarded and why the others are not;
// and one allocator that names everything the file declares or uses
// (import aliases, type parameters, receivers, parameters, results,
// locals) so that nothing collides. NewFile builds it from a load.Target
// and a Dest, where the output stage puts the file.
//
// It imports load, gomod, typewalk and pathmsg; emit, output and the
// generator import it.
package model
