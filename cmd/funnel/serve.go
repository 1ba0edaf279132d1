package main

import (
	"context"
	"io"
	"os"

	"github.com/funnel-report/funnel/internal/serve"
	"github.com/funnel-report/funnel/internal/sources/db"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [--source DIR] [--bind 127.0.0.1] [--port 1313] [--open] [--drafts] [--period P] [--out DIR] [--poll DURATION] [--refresh] [-q]", stderr)
	o := serve.Options{Stdout: stdout, Stderr: stderr}
	fs.StringVar(&o.Build.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Build.Out, "out", "", "also write every good build to this folder (the site is served from memory)")
	fs.StringVar(&o.Build.Period, "period", "", "build the site as of this period; later periods are ignored")
	fs.BoolVar(&o.Build.Drafts, "drafts", false, "include commentary marked draft: true")
	fs.StringVar(&o.Bind, "bind", "127.0.0.1", "address to listen on (0.0.0.0 exposes the site to the network)")
	fs.IntVar(&o.Port, "port", 1313, "port to listen on (0: any free port)")
	fs.BoolVar(&o.Open, "open", false, "open the site in the default browser")
	fs.DurationVar(&o.Poll, "poll", 0, "poll for changes every DURATION (e.g. 500ms) instead of file system events, for network file systems")
	fs.BoolVar(&o.Quiet, "q", false, "print nothing but errors")
	refresh := fs.Bool("refresh", false, "query database sources again instead of answering from "+db.CacheDir+"/")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	o.WriteOut = o.Build.Out != ""
	// main sets the collector's percent unless the environment does; a
	// rebuild may then hold it back until its first page (serve.gcHold).
	o.HoldGC = os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
	// Database sources are queried again only when their query changes
	// (a new cache key), on --refresh, or with the refresh key on every
	// served page. (Deleting the cache instead would also lose the
	// prerendered SVG charts kept beside it.)
	o.Build.UseCache = true
	o.Requery = *refresh
	s, err := serve.New(o)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if err := s.Run(ctx); err != nil {
		printError(stderr, err)
		return exitError
	}
	return exitOK
}
