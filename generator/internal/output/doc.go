// Package output decides where the generated file goes and what package
// it is in (For), checks that it may be written there (Check), and writes
// it atomically (Write), never over a file that breakergen did not write,
// and not at all when its bytes would not change; or compares it with the
// file on disk (CheckFile).
//
// It imports load, model, gomod, genfile, buildcons and pathmsg; only the
// generator imports it.
package output
