package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/gcfloor"
	"github.com/funnel-report/funnel/internal/serve"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [--source DIR] [--out DIR] [--period P] [--base-url URL] [--drafts] [--watch [--poll DURATION]] [--prerender] [--single-file OUT.html] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: <source>/public)")
	fs.StringVar(&o.Period, "period", "", "build the site as of this period; later periods are ignored")
	fs.StringVar(&o.BaseURL, "base-url", "", "URL the site is served from, for canonical links (default: base_url in funnel.yaml)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include commentary marked draft: true")
	fs.BoolVar(&o.Prerender, "prerender", false, "also draw every chart to SVG at build time, so pages show charts with JavaScript off (cached in .funnel-cache/; default: prerender in funnel.yaml)")
	quiet := fs.Bool("q", false, "print nothing but errors")
	watch := fs.Bool("watch", false, "keep rebuilding on every change to the project (Ctrl-C to stop)")
	poll := fs.Duration("poll", 0, "with --watch: poll every DURATION instead of file system events")
	single := fs.String("single-file", "", "write one period's report (--period, default the latest) as one self-contained HTML file instead of the site")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *single != "" {
		if *watch {
			fmt.Fprintln(stderr, "funnel build: --single-file and --watch do not go together")
			return exitUsage
		}
		return writeSingle(o, *single, *quiet, stdout, stderr)
	}
	if *watch {
		err := serve.Watch(ctx, serve.WatchConfig{Build: o, Poll: *poll, Quiet: *quiet, Stdout: stdout, Stderr: stderr})
		if err != nil {
			printError(stderr, err)
			return exitError
		}
		return exitOK
	}
	if os.Getenv("GOGC") == "" {
		o.LoadGCPercent = loadGCPercent
		gcfloor.Start(heapFloor, gcPercent)
	}
	o.ShedTable = true // the build's table is read by nothing after it
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

// writeSingle writes the one-file report; a failed build leaves an
// existing file as it was.
func writeSingle(o build.Options, out string, quiet bool, stdout, stderr io.Writer) int {
	start := time.Now()
	b, r, err := build.SingleFile(o, build.SingleOptions{})
	if err == nil {
		err = writeAtomic(out, b)
	}
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if !quiet {
		abs, _ := filepath.Abs(out)
		fmt.Fprintf(stdout, "wrote the %s report, one file of %d KB, in %s\n%s\n",
			r.Model.Latest, (len(b)+1023)/1024, time.Since(start).Round(time.Millisecond), abs)
	}
	return exitOK
}

// writeAtomic writes data to name through a temporary file beside it.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
