package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/funnel-report/funnel/internal/build"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [--source DIR] [--out DIR] [--period P] [--base-url URL] [--drafts] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: <source>/public)")
	fs.StringVar(&o.Period, "period", "", "build the site as of this period; later periods are ignored")
	fs.StringVar(&o.BaseURL, "base-url", "", "URL the site is served from, for canonical links (default: base_url in funnel.yaml)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include commentary marked draft: true")
	quiet := fs.Bool("q", false, "print nothing but errors")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	start := time.Now()
	r, err := build.Run(o)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if !*quiet {
		index, _ := filepath.Abs(filepath.Join(o.OutDir(), "index.html"))
		fmt.Fprintf(stdout, "built %d pages (%d periods, %d segments) in %s, %d files changed\n%s\n",
			len(r.Site.Pages), len(r.Model.Periods), len(r.Model.Segments), time.Since(start).Round(time.Millisecond), len(r.Changed), index)
	}
	return exitOK
}
