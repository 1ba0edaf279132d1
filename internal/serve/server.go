package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/site"
)

// Options configure a Server.
type Options struct {
	Build build.Options
	// WriteOut also writes every good build to Build.Out (the site is
	// served from memory either way).
	WriteOut bool
	Bind     string // default 127.0.0.1: never reachable from the network unless asked
	Port     int    // 0 picks a free port
	Open     bool   // open the site in a browser once it is served
	// Requery makes the first build ask database sources afresh instead
	// of answering from .funnel-cache/ (serve --refresh).
	Requery bool
	// HoldGC lets a rebuild's path to the first page run without garbage
	// collection up to the memory earlier builds reached (gcHold): for a
	// program that owns the collector's settings (cmd/funnel, unless the
	// environment sets GOGC or GOMEMLIMIT).
	HoldGC   bool
	Debounce time.Duration
	Poll     time.Duration
	Quiet    bool
	Stdout   io.Writer
	Stderr   io.Writer

	// Test hooks: staged runs after a stage is published, on the build's
	// goroutine (holding it holds the build); waiting when a request
	// starts waiting for a path a later stage brings.
	staged  func(build.Stage)
	waiting func(rel string)
}

// A Server builds a project, serves the last good site from memory, and
// rebuilds it and reloads the browsers when the project changes.
//
// The site is served from memory, not from an output folder: a rebuild
// publishes by swapping one pointer (no disk writes on the 300 ms path),
// the last good site stays served for free when a build fails, and a
// request can only ever reach a file of the site — there is no folder to
// escape from.
type Server struct {
	o       Options
	log     *logger
	ln      net.Listener
	session *session
	http    *http.Server
	hub     *hub
	state   atomic.Pointer[state]
	// version identifies this server process in reload ids, so a page
	// served by an earlier run reloads when it reconnects.
	version string
	// staged says the build under way handed out a stage.
	staged bool
	done   chan struct{} // closed when shutting down: ends event streams

	closeOnce sync.Once
	closeErr  error
}

// state is what is served: the last good site and the last build's error,
// or, while a build hands out its stages, the part of the new site ready
// so far.
type state struct {
	files map[string]site.File // nil until a build succeeded
	// pending are the paths of the new site that a later stage of the
	// build under way brings: a request for one waits for it, so nothing
	// of the last site is served as part of the new one.
	pending map[string]bool
	// good is the last good site whole: what a build that fails after
	// handing out stages falls back to.
	good map[string]site.File
	err  error // the last build failed with err
	// seq numbers the reload events: a page served from this state was
	// current at event seq (versionOf).
	seq int
	// next is closed when a newer state replaces this one.
	next chan struct{}
	// cited is what the last good site's commentary cites; pages warn
	// when it differs from the accepted record.
	cited []cited.Citation
	// databases says the last good config has database sources: pages
	// then get the key that queries them again.
	databases bool
}

// New listens, builds the project once and starts watching it. A failed
// first build is served as an error page until the project is fixed. New
// fails when the address is taken or watching cannot start.
func New(o Options) (*Server, error) {
	if o.Bind == "" {
		o.Bind = "127.0.0.1"
	}
	log := &logger{out: o.Stdout, err: o.Stderr, quiet: o.Quiet}
	addr := net.JoinHostPort(o.Bind, strconv.Itoa(o.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w (choose another --port, or 0 for any free one)", err)
	}
	s := &Server{
		o: o, log: log, ln: ln, done: make(chan struct{}),
		version: strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	start := &state{next: make(chan struct{})}
	s.hub = newHub(s.versionOf(start))
	s.http = &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: it would cut the event stream. Page responses
		// set their own write deadline.
	}
	s.state.Store(start)
	sess, first, err := newSession(o.Build, o.Debounce, o.Poll, o.Requery, log)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.session = sess
	s.publish(first)
	// Later builds draw the pages open in a browser first and publish
	// them at once (publishStage).
	sess.first, sess.stage = s.hub.pages, s.publishStage
	if o.HoldGC {
		sess.gc = &gcHold{}
		sess.gc.sample()
	}
	return s, nil
}

// URL is the root of the served site.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Run serves until ctx is done, then shuts down: watches closed, event
// streams ended, connections closed, every goroutine it started returned.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	serveErr := make(chan error, 1)
	go func() {
		err := s.http.Serve(s.ln)
		if !errors.Is(err, http.ErrServerClosed) {
			cancel() // stop watching: nothing is served any more
		}
		serveErr <- err
	}()
	s.log.printf("serving %s on %s (Ctrl-C to stop)", s.o.Build.Source, s.URL())
	var opener sync.WaitGroup
	if s.o.Open {
		s.openBrowser(ctx, &opener)
	}
	watchErr := s.session.run(ctx, s.publish)
	cancel()

	close(s.done)
	shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
	if err := s.http.Shutdown(shutdown); err != nil {
		s.http.Close() // a client that will not let go
	}
	stop()
	err := <-serveErr
	opener.Wait()
	closeErr := s.Close()
	switch {
	case err != nil && !errors.Is(err, http.ErrServerClosed):
		return fmt.Errorf("serve: %w", err)
	case watchErr != nil:
		return fmt.Errorf("watch: %w", watchErr)
	}
	return closeErr
}

// Close releases the listener and the watches; Run calls it on return.
// It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.session.close()
		if lerr := s.ln.Close(); lerr != nil && !errors.Is(lerr, net.ErrClosed) && err == nil {
			err = lerr
		}
		s.closeErr = err
	})
	return s.closeErr
}

// publish makes an outcome what is served and tells the browsers. A
// failed build falls back to the last good site, also when it had
// handed out stages.
func (s *Server) publish(o Outcome) {
	old := s.state.Load()
	staged := s.staged
	s.staged = false
	next := &state{files: old.good, good: old.good, err: o.Err, seq: old.seq, cited: old.cited, databases: old.databases}
	if o.Err == nil {
		// A refresh reloads the page even when the answers did not
		// change: the person who asked sees that it happened (the first
		// stage's event, when there was one).
		if len(o.Result.Changed) == 0 && old.err == nil && old.files != nil && !o.Change.Refresh && !staged {
			return // nothing a browser could see
		}
		next.cited = o.Result.Cited
		next.databases = slices.ContainsFunc(o.Result.Config.Sources, config.Source.IsDatabase)
		next.files = make(map[string]site.File, len(o.Result.Files))
		for _, f := range o.Result.Files {
			next.files[f.Path] = f
		}
		next.good = next.files
		if s.o.WriteOut {
			if _, err := site.Write(s.o.Build.OutDir(), o.Result.Files); err != nil {
				s.log.errorf("write %s: %v", s.o.Build.OutDir(), err)
			}
		}
	}
	full := o.Err != nil || old.err != nil || old.files == nil || (o.Change.Refresh && !staged)
	var changed []string
	if !full {
		changed = o.Result.Fresh
	}
	s.swap(old, next, changed, full)
}

// publishStage serves the part of a build that is ready and tells the
// browsers whose page it changed; the build's other pages wait for their
// own stage (state.pending).
func (s *Server) publishStage(c Change, st build.Stage) {
	old := s.state.Load()
	next := &state{
		files: make(map[string]site.File, len(st.Files)), pending: make(map[string]bool, len(st.Pending)),
		good: old.good, seq: old.seq, cited: st.Cited, databases: old.databases,
	}
	for _, f := range st.Files {
		next.files[f.Path] = f
	}
	for _, p := range st.Pending {
		next.pending[p] = true
	}
	full := old.err != nil || old.files == nil || (c.Refresh && !s.staged)
	s.staged = true
	s.swap(old, next, st.Changed, full)
	if s.o.staged != nil {
		s.o.staged(st)
	}
}

// swap makes next what is served in place of old, announcing changed
// paths (or every page, full) in a reload event when there is something
// to announce.
func (s *Server) swap(old, next *state, changed []string, full bool) {
	next.next = make(chan struct{})
	store := func() {
		s.state.Store(next)
		close(old.next)
	}
	if !full && len(changed) == 0 {
		store()
		return
	}
	next.seq = old.seq + 1
	// The pages browsers show are the last good site's until an event
	// names them.
	s.hub.broadcast(reloadEvent(s.versionOf(next), old.good, next.files, changed, full), store)
}

// versionOf names a state in reload ids and pages.
func (s *Server) versionOf(st *state) string {
	return s.version + "-" + strconv.Itoa(st.seq)
}

// openBrowser starts the desktop's URL opener, if there is one; failing
// to open never fails serve.
func (s *Server) openBrowser(ctx context.Context, wg *sync.WaitGroup) {
	for _, name := range []string{"xdg-open", "open"} {
		bin, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		cmd := exec.CommandContext(ctx, bin, s.URL())
		if err := cmd.Start(); err != nil {
			s.log.printf("could not open a browser: %v", err)
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cmd.Wait()
		}()
		return
	}
	s.log.printf("no xdg-open or open found: open %s yourself", s.URL())
}
