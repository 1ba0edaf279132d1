package main

import (
	"context"
	"fmt"
	"io"

	"github.com/funnel-report/funnel/internal/assets"
	"github.com/funnel-report/funnel/internal/version"
)

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version [--licenses]", stderr)
	licenses := fs.Bool("licenses", false, "print the licences of the third-party code embedded in the binary and in every site")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *licenses {
		fmt.Fprint(stdout, assets.Licenses())
		return exitOK
	}
	in := version.Read()
	fmt.Fprintf(stdout, "funnel %s (ECharts %s, Apache-2.0: funnel version --licenses)\n", in.String(), assets.EChartsVersion)
	fmt.Fprint(stdout, in.Long())
	return exitOK
}
