// Package bench holds the pipeline benchmarks behind docs/design.md §7's bars:
// ingest, analysis, render and the whole build of a generated project of
// the design size (internal/gen.DesignSize). It has no non-test code.
//
// Benchmarks report custom metrics that `make bench` (internal/tools/
// benchtable) puts in columns: pages/s, MB/s (from b.SetBytes) and peak-MB,
// the peak resident memory of the benchmark (VmHWM, reset before it runs).
//
// make test runs each benchmark once (-benchtime=1x) at full design size:
// the whole package takes about a second, so no testing.Short guard.
package bench
