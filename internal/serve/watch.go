package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/funnel-report/funnel/internal/cited"
)

// Change is one debounced batch of file changes in a project.
type Change struct {
	// Paths are the changed files and folders, relative to the project,
	// slash-separated, sorted.
	Paths []string
	// Full says events were lost (the kernel queue overflowed): the
	// caller must assume everything changed.
	Full bool
	// Refresh says someone asked for database sources to be queried
	// again (serve's refresh key), whether or not a file changed.
	Refresh bool
}

// DefaultDirs returns the project folders watched recursively.
func DefaultDirs() []string {
	return []string{"data", "content", "templates", "themes", "static"}
}

// WatchOptions configure a Watcher.
type WatchOptions struct {
	// Dirs are top-level project folders watched recursively (default
	// DefaultDirs). A folder created after the start is picked up.
	Dirs []string
	// Files are path.Match patterns of root-level files that matter
	// (default: funnel.yaml).
	Files []string
	// Ignore are project-relative folders never reported (the output
	// folder when it lies inside the project).
	Ignore []string
	// Debounce is how long the project must be quiet before a batch is
	// reported (default 40 ms): one editor save is many events, written in
	// one go (the editor-save storm test merged every save with 40 ms, 60
	// runs on a machine at load 30; 100 ms was most of a commentary edit's
	// save-to-reload time).
	Debounce time.Duration
	// Poll, when positive, replaces file system events by a scan of sizes
	// and modification times every Poll (network file systems send no
	// events).
	Poll time.Duration
	// OnError receives watch errors that do not stop watching (nil: drop).
	OnError func(error)
}

// A Watcher reports debounced changes under a project folder. Watching
// starts in NewWatcher, so nothing done after it returns is missed; Run
// delivers the batches. Close releases the watches.
type Watcher struct {
	root string
	o    WatchOptions
	fsw  *fsnotify.Watcher    // nil when polling
	seen map[string]fileStamp // polling: the last scan

	pending map[string]bool
	full    bool
	refresh bool
	kick    chan struct{} // Refresh's requests, one pending at most
}

// fileStamp is what a polling scan compares.
type fileStamp struct {
	size  int64
	mtime time.Time
	dir   bool
}

// NewWatcher starts watching root. It fails if root is not a folder or
// the system refuses watches (raise fs.inotify.max_user_watches, or use
// Poll).
func NewWatcher(root string, o WatchOptions) (*Watcher, error) {
	if o.Dirs == nil {
		o.Dirs = DefaultDirs()
	}
	if o.Files == nil {
		o.Files = []string{"funnel.yaml"}
	}
	if o.Debounce <= 0 {
		o.Debounce = 40 * time.Millisecond
	}
	if st, err := os.Stat(root); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, &fs.PathError{Op: "watch", Path: root, Err: errors.New("not a folder")}
	}
	w := &Watcher{root: root, o: o, pending: map[string]bool{}, kick: make(chan struct{}, 1)}
	if o.Poll > 0 {
		w.seen = w.scan()
		return w, nil
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w.fsw = fsw
	// The root itself, for the config file and for watched folders that
	// appear later; its other entries (public/, .git/) are not watched.
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, d := range o.Dirs {
		if err := w.addTree(d, false); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Add watches more top-level folders and root-level file patterns (the
// config named new sources). It must be called from Run's onChange, or
// before Run: the Watcher belongs to one goroutine.
func (w *Watcher) Add(dirs, files []string) error {
	for _, f := range files {
		if !slices.Contains(w.o.Files, f) {
			w.o.Files = append(w.o.Files, f)
		}
	}
	for _, d := range dirs {
		if slices.Contains(w.o.Dirs, d) {
			continue
		}
		w.o.Dirs = append(w.o.Dirs, d)
		if w.fsw != nil {
			if err := w.addTree(d, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close stops watching. It is safe to call more than once.
func (w *Watcher) Close() error {
	if w.fsw == nil {
		return nil
	}
	return w.fsw.Close()
}

// Run calls onChange with every debounced batch until ctx is done or the
// watcher is closed. onChange runs on Run's goroutine: changes made while
// it runs are collected and reported once it returns, so a slow rebuild is
// followed by exactly one more, never by a pile.
func (w *Watcher) Run(ctx context.Context, onChange func(Change)) error {
	if w.fsw != nil {
		return w.loop(ctx, w.fsw.Events, w.fsw.Errors, nil, onChange)
	}
	t := time.NewTicker(w.o.Poll)
	defer t.Stop()
	return w.loop(ctx, nil, nil, t.C, onChange)
}

// Refresh asks Run for a batch with Refresh set, debounced like a file
// change (a double click is one query). It never blocks.
func (w *Watcher) Refresh() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// loop is Run with its sources as arguments: events and errs from
// fsnotify, or tick for polling.
func (w *Watcher) loop(ctx context.Context, events <-chan fsnotify.Event, errs <-chan error, tick <-chan time.Time, onChange func(Change)) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	// A trailing debounce, capped: a file written without pause (a log, a
	// slow copy) still gets a build every maxWait.
	maxWait := 10 * w.o.Debounce
	var oldest time.Time // when the oldest pending change arrived
	quiet := func() {
		now := time.Now()
		if oldest.IsZero() {
			oldest = now
		}
		timer.Reset(max(0, min(w.o.Debounce, oldest.Add(maxWait).Sub(now))))
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			if w.handle(ev) {
				quiet()
			}
		case err, ok := <-errs:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.full = true
				quiet()
			} else if err != nil && w.o.OnError != nil {
				w.o.OnError(err)
			}
		case <-tick:
			if w.poll() {
				quiet()
			}
		case <-w.kick:
			w.refresh = true
			quiet()
		case <-timer.C:
			oldest = time.Time{}
			if c, ok := w.take(); ok {
				onChange(c)
			}
		}
	}
}

// take empties the pending batch.
func (w *Watcher) take() (Change, bool) {
	if len(w.pending) == 0 && !w.full && !w.refresh {
		return Change{}, false
	}
	c := Change{Full: w.full, Refresh: w.refresh}
	for p := range w.pending {
		c.Paths = append(c.Paths, p)
	}
	sort.Strings(c.Paths)
	w.pending, w.full, w.refresh = map[string]bool{}, false, false
	return c, true
}

// handle records one event; it reports whether the event matters.
func (w *Watcher) handle(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 {
		return false // touch, permission bits, editors' metadata
	}
	rel, ok := w.rel(ev.Name)
	if !ok || !w.relevant(rel) {
		return false
	}
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.unwatchTree(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
			// A new (or moved-in) folder: watch it, and report what is
			// already inside, since it may have been written before the
			// watch existed.
			if err := w.addTree(rel, true); err != nil && w.o.OnError != nil {
				w.o.OnError(err)
			}
		}
	}
	w.pending[rel] = true
	return true
}

// unwatchTree drops the watches on the folders below name, which moved
// or went away. The kernel keeps a moved folder's watches and fsnotify
// would report their events under the old names; a moved-in folder is
// watched again under its new name by its Create event.
func (w *Watcher) unwatchTree(name string) {
	if w.fsw == nil {
		return
	}
	prefix := name + string(filepath.Separator)
	for _, p := range w.fsw.WatchList() {
		if p == name || strings.HasPrefix(p, prefix) {
			_ = w.fsw.Remove(p) // already gone is fine
		}
	}
}

// rel makes name relative to the root, slash-separated.
func (w *Watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// relevant says whether a change of rel can affect the site.
func (w *Watcher) relevant(rel string) bool {
	if rel == cited.FileName {
		// The accepted citations: written by funnel check --accept, read
		// when a page is served; no page shows them.
		return false
	}
	for _, part := range strings.Split(rel, "/") {
		if isTempName(part) {
			return false
		}
	}
	for _, ig := range w.o.Ignore {
		if rel == ig || strings.HasPrefix(rel, ig+"/") {
			return false
		}
	}
	top, _, nested := strings.Cut(rel, "/")
	for _, d := range w.o.Dirs {
		if top == d {
			return true
		}
	}
	if nested {
		return false
	}
	for _, pat := range w.o.Files {
		if ok, _ := path.Match(pat, rel); ok {
			return true
		}
	}
	return false
}

// addTree watches the folder rel and every folder below it; with report
// set it also records every file found as changed.
func (w *Watcher) addTree(rel string, report bool) error {
	dir := followRoot(filepath.Join(w.root, filepath.FromSlash(rel)))
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile, or a watched folder not created yet
			}
			return err
		}
		r, ok := w.rel(p)
		if !ok || !w.relevant(r) {
			if d.IsDir() && ok {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.fsw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		if report {
			w.pending[r] = true
		}
		return nil
	})
	return err
}

// followRoot makes WalkDir descend into dir when dir is a symbolic link
// to a folder (data/ linked to a shared drive): a trailing separator makes
// the system resolve it. Links further down are not followed, as in the
// build.
func followRoot(dir string) string {
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if target, err := os.Stat(dir); err == nil && target.IsDir() {
			return dir + string(filepath.Separator)
		}
	}
	return dir
}

// scan lists every relevant file and folder with its stamp.
func (w *Watcher) scan() map[string]fileStamp {
	out := map[string]fileStamp{}
	visit := func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable or gone: absent from the scan
		}
		r, ok := w.rel(p)
		if !ok || !w.relevant(r) {
			if d.IsDir() && ok {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		out[r] = fileStamp{size: info.Size(), mtime: info.ModTime(), dir: d.IsDir()}
		return nil
	}
	for _, d := range w.o.Dirs {
		_ = filepath.WalkDir(followRoot(filepath.Join(w.root, d)), visit)
	}
	if entries, err := os.ReadDir(w.root); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				_ = visit(filepath.Join(w.root, e.Name()), e, nil)
			}
		}
	}
	return out
}

// poll scans and records the differences from the last scan.
func (w *Watcher) poll() bool {
	now := w.scan()
	changed := false
	for p, st := range now {
		if old, ok := w.seen[p]; !ok || old != st {
			if !st.dir || !ok { // a folder's own mtime moves with its entries
				w.pending[p] = true
				changed = true
			}
		}
	}
	for p := range w.seen {
		if _, ok := now[p]; !ok {
			w.pending[p] = true
			changed = true
		}
	}
	w.seen = now
	return changed
}

// isTempName reports the names editors and tools write while saving:
// vim (.swp, .swx, ~, 4913), JetBrains (x___jb_tmp___), GNOME
// (.goutputstream-*), emacs (.#x, #x#), macOS Finder (.DS_Store).
func isTempName(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store":
		return true
	case strings.HasPrefix(name, ".funnel"):
		// funnel's own state: caches (.funnel-cache/), the site marker,
		// leftovers of killed builds. Reading them back would rebuild
		// forever.
		return true
	case strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".swp"),
		strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, ".tmp"),
		strings.HasPrefix(name, ".goutputstream"),
		strings.HasPrefix(name, ".#"),
		strings.HasPrefix(name, "#"),
		strings.HasPrefix(name, "jb_") && strings.HasSuffix(name, "___"),
		strings.Contains(name, "___jb_") && strings.HasSuffix(name, "___"):
		return true
	}
	return false
}
