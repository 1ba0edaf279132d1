package serve

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/site"
)

// WatchConfig configures Watch.
type WatchConfig struct {
	Build    build.Options
	Debounce time.Duration // default 40 ms
	Poll     time.Duration // > 0: poll instead of file system events
	Quiet    bool
	Stdout   io.Writer
	Stderr   io.Writer
}

// Watch is `funnel build --watch`: it builds the project into its output
// folder, then rebuilds and rewrites it on every change until ctx is done.
// A failed build is reported and leaves the last good site in place. Watch
// fails only when watching cannot start.
func Watch(ctx context.Context, c WatchConfig) error {
	log := &logger{out: c.Stdout, err: c.Stderr, quiet: c.Quiet}
	s, first, err := newSession(c.Build, c.Debounce, c.Poll, false, log)
	if err != nil {
		return err
	}
	defer s.close()
	failed := false // the last write failed: write even an unchanged site
	write := func(o Outcome) {
		if o.Err != nil || (len(o.Result.Changed) == 0 && !failed) {
			return
		}
		_, err := site.Write(c.Build.OutDir(), o.Result.Files)
		if failed = err != nil; failed {
			log.errorf("write %s: %v", c.Build.OutDir(), err)
		}
	}
	write(first)
	log.printf("watching %s for changes (Ctrl-C to stop)", c.Build.Source)
	if err := s.run(ctx, write); err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	return nil
}
