// Command funnel builds static report sites for customer-journey funnels.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// gcPercent is the garbage collector's GOGC unless the environment sets
// one. A build's model stays live to its end, so at Go's default of 100
// the heap grows to twice it. On the 400-page site 30 keeps the peak under
// 150 MiB (157 at 50) for GC's share of CPU going from 4% to 8%
// (docs/design.md, "Performance, round five").
const gcPercent = 30

// loadGCPercent is a build's GOGC while it loads and analyses the data,
// where nearly everything allocated stays (build.Options.LoadGCPercent):
// on the 400-page site 100 took 3–9% off the CPU time in two alternated
// runs and left the peak as it was.
const loadGCPercent = 100

// heapFloor is the heap a one-shot build may reach before the collector
// runs (internal/gcfloor); above it GOGC paces as set. On the 400-page
// site it took 14 cycles down to 7 and the wall time down by 6% for 2 MiB
// more peak memory (129 MiB); 110 MiB saved 2–4% more for 8 MiB more. A
// mid-sized project now peaks near the floor rather than near its live
// heap (docs/design.md, "Performance, round nine").
const heapFloor = 100 << 20

func main() {
	// No heap profile is ever taken of a run, so none is sampled: the
	// sampling's stacks were 1.4 MB on the 400-page build.
	runtime.MemProfileRate = 0
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
