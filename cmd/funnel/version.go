package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/funnel-report/funnel/internal/assets"
)

// version is set with -ldflags "-X main.version=…" by make; else the module version.
var version = ""

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", stderr)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	v := version
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	fmt.Fprintf(stdout, "funnel %s (ECharts %s)\n", v, assets.EChartsVersion)
	return exitOK
}
