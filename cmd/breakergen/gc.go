package main

import (
	"os"
	"runtime/debug"
)

// init makes the garbage collector run a quarter as often as by default,
// unless GOGC says otherwise: a run is short, most of what it allocates
// (the syntax and types of the loaded package) lives until it ends, and
// collecting it at the default pace cost about a fifth of the run's time
// on large interfaces, for a peak heap that stays small.
func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
