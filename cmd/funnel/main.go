// Command funnel builds static report sites for customer-journey funnels.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// gcPercent is the garbage collector's GOGC unless the environment sets
// one. A build's model and pages stay live to its end, so at Go's default
// of 100 the heap grows to twice them: on the 400-page site 50 took the
// peak from 247 to 202 MB for about 2% more CPU (docs/design.md,
// "Performance").
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
