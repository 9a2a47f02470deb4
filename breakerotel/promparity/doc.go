// Package promparity holds a test, and nothing else: that breakerotel's
// instruments, exported through the OpenTelemetry Prometheus exporter,
// are breakerprom's metrics, with the same names, types, series and
// values. It is a module of its own so that neither adapter depends on
// the other or on the exporter.
package promparity
