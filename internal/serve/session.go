// Package serve is watch mode: it rebuilds a project when its files
// change (Watcher, session) and serves the site with live reload (Server).
// The policy — what a change rebuilds and when — lives here, not in the
// command line.
package serve

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/termsafe"
)

// Outcome is one build in watch mode.
type Outcome struct {
	Result *build.Result // nil when the build failed
	Err    error
	Took   time.Duration
	// Change is what triggered the build (empty for the first one).
	Change Change
}

// session couples a Builder with a Watcher: a first build, then one
// rebuild per batch of changes, on the goroutine that calls run.
type session struct {
	b   *build.Builder
	w   *Watcher
	log *logger
	// stage, when set, receives the parts of a build that draws every
	// page as they are ready (build.Builder.BuildStaged), the pages named
	// by first before the others.
	stage func(Change, build.Stage)
	first func() []string
	// gc, when set, holds the garbage collector back until a build's
	// first stage (gcHold).
	gc *gcHold
}

// newSession starts watching the project, then builds it once, so an
// edit made during the first build is not missed. The first outcome may
// be a failed build; fixing the project recovers.
func newSession(o build.Options, debounce, poll time.Duration, requery bool, log *logger) (*session, Outcome, error) {
	if st, err := os.Stat(o.Source); err != nil || !st.IsDir() {
		return nil, Outcome{}, fmt.Errorf("no project folder %s", o.Source)
	}
	wo, err := watchOptions(o, nil)
	if err != nil {
		return nil, Outcome{}, err
	}
	wo.Debounce, wo.Poll = debounce, poll
	wo.OnError = func(err error) { log.errorf("watch: %v", err) }
	w, err := NewWatcher(o.Source, wo)
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("watch %s: %w", o.Source, err)
	}
	s := &session{b: build.NewBuilder(o), w: w, log: log}
	if requery {
		s.b.Requery()
	}
	return s, s.build(Change{}), nil
}

// build runs one build for change c.
func (s *session) build(c Change) Outcome {
	if c.Refresh {
		s.b.Requery()
	}
	if c.Full {
		s.b.InvalidateAll()
	} else {
		s.b.Invalidate(c.Paths...)
	}
	start := time.Now()
	var r *build.Result
	var err error
	switch {
	case s.stage != nil:
		release := func() {}
		if s.gc != nil {
			release = s.gc.hold()
		}
		r, err = s.b.BuildStaged(s.first(), func(st build.Stage) {
			// The collector starts again once the event is out: it
			// finds the heap over its goal and makes allocations help.
			s.stage(c, st)
			release()
		})
		release()
	default:
		r, err = s.b.Build()
	}
	if s.gc != nil {
		s.gc.sample()
	}
	out := Outcome{Result: r, Err: err, Took: time.Since(start), Change: c}
	s.log.outcome(out)
	if err == nil && r.Redone == build.ScopeData {
		// The config may name sources in folders not watched yet.
		wo, werr := watchOptions(s.b.Options(), r.Config)
		if werr == nil {
			werr = s.w.Add(wo.Dirs, wo.Files)
		}
		if werr != nil {
			s.log.errorf("watch: %v", werr)
		}
	}
	return out
}

// run rebuilds on every change until ctx is done, handing each outcome
// to publish.
func (s *session) run(ctx context.Context, publish func(Outcome)) error {
	return s.w.Run(ctx, func(c Change) { publish(s.build(c)) })
}

func (s *session) close() error {
	err := s.w.Close()
	s.b.Close()
	return err
}

// watchOptions watches the default folders plus those of configured
// sources. An output folder inside a watched folder is refused: writing
// the site would trigger the next build, forever.
func watchOptions(o build.Options, cfg *config.Config) (WatchOptions, error) {
	wo := WatchOptions{Dirs: DefaultDirs(), Files: []string{config.FileName}}
	if cfg != nil {
		for _, src := range cfg.Sources {
			file := src.Path
			if src.IsDatabase() {
				file = src.QueryFile // an edit is a new query: serve asks the server again
				if file == "" {
					continue
				}
			}
			p := path.Clean(filepath.ToSlash(file))
			top, _, nested := strings.Cut(p, "/")
			switch {
			case !nested:
				wo.Files = append(wo.Files, p) // a root-level glob
			case top != ".." && !strings.ContainsAny(top, `*?[\`) && !slices.Contains(wo.Dirs, top):
				wo.Dirs = append(wo.Dirs, top)
			}
		}
	}
	src, err := filepath.Abs(o.Source)
	if err != nil {
		return wo, err
	}
	out, err := filepath.Abs(o.OutDir())
	if err != nil {
		return wo, err
	}
	if rel, err := filepath.Rel(src, out); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		if rel == "." || slices.Contains(wo.Dirs, top) {
			return wo, fmt.Errorf("output folder %s is inside the watched project folder %s: choose another --out", o.OutDir(), path.Join(o.Source, top))
		}
	}
	return wo, nil
}

// logger prints build progress (unless quiet) and errors.
type logger struct {
	out, err io.Writer
	quiet    bool
}

func (l *logger) printf(format string, args ...any) {
	if !l.quiet {
		fmt.Fprintln(l.out, termsafe.Escape(fmt.Sprintf(format, args...)))
	}
}

func (l *logger) errorf(format string, args ...any) {
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		fmt.Fprintf(l.err, "error: %s\n", termsafe.Escape(line))
	}
}

func (l *logger) outcome(o Outcome) {
	if o.Err != nil {
		l.errorf("%v", o.Err)
		return
	}
	r := o.Result
	took := o.Took.Round(time.Millisecond)
	switch {
	case len(o.Change.Paths) == 0 && !o.Change.Full && !o.Change.Refresh:
		l.printf("built %d pages (%d periods) in %s", len(r.Site.Pages), len(r.Model.Periods), took)
	default:
		what := "events were lost"
		if o.Change.Refresh && len(o.Change.Paths) == 0 && !o.Change.Full {
			what = "database sources queried again"
		} else if !o.Change.Full {
			what = strings.Join(o.Change.Paths, ", ")
			if len(o.Change.Paths) > 3 {
				what = fmt.Sprintf("%s and %d more", strings.Join(o.Change.Paths[:3], ", "), len(o.Change.Paths)-3)
			}
		}
		l.printf("%s: rebuilt %s in %s, %d output files changed", what, r.Redone, took, len(r.Changed))
	}
}
