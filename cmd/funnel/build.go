package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/serve"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [--source DIR] [--out DIR] [--period P] [--base-url URL] [--drafts] [--watch [--poll DURATION]] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: <source>/public)")
	fs.StringVar(&o.Period, "period", "", "build the site as of this period; later periods are ignored")
	fs.StringVar(&o.BaseURL, "base-url", "", "URL the site is served from, for canonical links (default: base_url in funnel.yaml)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include commentary marked draft: true")
	quiet := fs.Bool("q", false, "print nothing but errors")
	watch := fs.Bool("watch", false, "keep rebuilding on every change to the project (Ctrl-C to stop)")
	poll := fs.Duration("poll", 0, "with --watch: poll every DURATION instead of file system events")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *watch {
		err := serve.Watch(ctx, serve.WatchConfig{Build: o, Poll: *poll, Quiet: *quiet, Stdout: stdout, Stderr: stderr})
		if err != nil {
			printError(stderr, err)
			return exitError
		}
		return exitOK
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
