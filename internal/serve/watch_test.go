package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/config"
)

// waitTimeout bounds every wait for an event; tests never sleep to assert.
const waitTimeout = 10 * time.Second

// startWatcher runs a Watcher on dir and returns its batches.
func startWatcher(t *testing.T, dir string, o WatchOptions) <-chan Change {
	t.Helper()
	w, err := NewWatcher(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Change, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.Run(ctx, func(c Change) { ch <- c })
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.Close()
	})
	return ch
}

func nextChange(t *testing.T, ch <-chan Change) Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(waitTimeout):
		t.Fatal("no change reported")
		return Change{}
	}
}

// expectChange waits for the next batch and compares its paths.
func expectChange(t *testing.T, ch <-chan Change, want ...string) {
	t.Helper()
	if c := nextChange(t, ch); !slices.Equal(c.Paths, want) || c.Full {
		t.Fatalf("change = %v (full %v), want %v", c.Paths, c.Full, want)
	}
}

func mkdir(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, dir, from, to string) {
	t.Helper()
	if err := os.Rename(filepath.Join(dir, filepath.FromSlash(from)), filepath.Join(dir, filepath.FromSlash(to))); err != nil {
		t.Fatal(err)
	}
}

// vimSave does what vim does on :w with its default backupcopy=auto:
// probe file, swap file, rename the original away, write a new file,
// fix the mode, drop the backup.
func vimSave(t *testing.T, dir, rel, data string) {
	t.Helper()
	d := filepath.Dir(filepath.FromSlash(rel))
	name := filepath.Base(rel)
	write(t, dir, filepath.Join(d, "4913"), "")
	remove(t, dir, filepath.Join(d, "4913"))
	write(t, dir, filepath.Join(d, "."+name+".swp"), "swap")
	write(t, dir, filepath.Join(d, "."+name+".swx"), "swap")
	rename(t, dir, rel, rel+"~")
	write(t, dir, rel, data)
	if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(rel)), 0o644); err != nil {
		t.Fatal(err)
	}
	remove(t, dir, rel+"~")
	remove(t, dir, filepath.Join(d, "."+name+".swx"))
	remove(t, dir, filepath.Join(d, "."+name+".swp"))
	// Other editors' leftovers in the same folder.
	for _, tmp := range []string{".goutputstream-XYZ12", "_index.md___jb_tmp___", ".#_index.md", "#_index.md#", ".DS_Store", "x.tmp"} {
		write(t, dir, filepath.Join(d, tmp), "")
	}
}

// project makes a folder with the watched layout.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mkdir(t, dir, "data")
	mkdir(t, dir, "content/periods")
	write(t, dir, "funnel.yaml", "title: x\n")
	write(t, dir, "data/funnel.csv", "period,visits\n2025-Q1,10\n")
	write(t, dir, "content/_index.md", "hello\n")
	return dir
}

// The debounce here is long so that a slow machine cannot split one save
// in two; what is tested is the merging, not the delay.
const testDebounce = 300 * time.Millisecond

func TestWatcherMergesAnEditorSave(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run("poll="+poll.String(), func(t *testing.T) {
			dir := project(t)
			ch := startWatcher(t, dir, WatchOptions{Debounce: testDebounce, Poll: poll})
			vimSave(t, dir, "content/_index.md", "hello again\n")
			expectChange(t, ch, "content/_index.md")
		})
	}
}

func TestWatcherFollowsTheTree(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run("poll="+poll.String(), func(t *testing.T) {
			dir := project(t)
			ch := startWatcher(t, dir, WatchOptions{Debounce: testDebounce, Poll: poll})

			// A new folder with a file written at once (before any watch on
			// it can exist), then a file added to it later.
			mkdir(t, dir, "content/stages/deep")
			write(t, dir, "content/stages/deep/awareness.md", "a\n")
			c := nextChange(t, ch)
			if !slices.Contains(c.Paths, "content/stages/deep/awareness.md") {
				t.Fatalf("new folder: change %v lacks the file written into it", c.Paths)
			}
			write(t, dir, "content/stages/deep/decision.md", "d\n")
			expectChange(t, ch, "content/stages/deep/decision.md")

			remove(t, dir, "data/funnel.csv")
			expectChange(t, ch, "data/funnel.csv")

			// A folder renamed: its new name is watched, its old one is gone.
			rename(t, dir, "content/stages", "content/journey")
			c = nextChange(t, ch)
			if !slices.Contains(c.Paths, "content/stages") || !slices.Contains(c.Paths, "content/journey") {
				t.Fatalf("renamed folder: change %v lacks the old or new name", c.Paths)
			}
			write(t, dir, "content/journey/deep/loyalty.md", "l\n")
			expectChange(t, ch, "content/journey/deep/loyalty.md")

			// A folder removed with its files.
			if err := os.RemoveAll(filepath.Join(dir, "content", "journey")); err != nil {
				t.Fatal(err)
			}
			c = nextChange(t, ch)
			if !slices.Contains(c.Paths, "content/journey") {
				t.Fatalf("removed folder: change %v lacks it", c.Paths)
			}

			// A watched folder that did not exist at the start.
			mkdir(t, dir, "templates/partials")
			write(t, dir, "templates/partials/footer.html", "<footer>")
			c = nextChange(t, ch)
			if !slices.Contains(c.Paths, "templates/partials/footer.html") {
				t.Fatalf("new top folder: change %v lacks its file", c.Paths)
			}
			write(t, dir, "templates/partials/footer.html", "<footer>2")
			expectChange(t, ch, "templates/partials/footer.html")

			write(t, dir, "funnel.yaml", "title: y\n")
			expectChange(t, ch, "funnel.yaml")
		})
	}
}

func TestWatcherIgnoresWhatCannotAffectTheSite(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run("poll="+poll.String(), func(t *testing.T) {
			dir := project(t)
			mkdir(t, dir, "data/out")
			ch := startWatcher(t, dir, WatchOptions{Debounce: testDebounce, Poll: poll, Ignore: []string{"data/out"}})

			write(t, dir, "README.md", "root files other than the config")
			mkdir(t, dir, "public/assets")
			write(t, dir, "public/index.html", "the output")
			write(t, dir, "data/out/x.csv", "ignored folder")
			write(t, dir, "content/.#_index.md", "emacs lock")
			write(t, dir, "content/_index.md~", "backup")
			write(t, dir, "content/.funnel-cited.json.tmp", "{}") // funnel check --accept
			write(t, dir, "content/.funnel-cited.json", "{}")
			if err := os.Chmod(filepath.Join(dir, "content/_index.md"), 0o600); err != nil {
				t.Fatal(err)
			}
			// A sentinel: the next batch must hold it alone.
			write(t, dir, "content/periods/2025-Q1.md", "q1\n")
			expectChange(t, ch, "content/periods/2025-Q1.md")
		})
	}
}

// A change made while a rebuild runs is reported once, after it.
func TestWatcherQueuesChangesDuringARebuild(t *testing.T) {
	dir := project(t)
	w, err := NewWatcher(dir, WatchOptions{Debounce: testDebounce})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	started := make(chan struct{})
	release := make(chan struct{})
	ch := make(chan Change, 16)
	wg.Add(1)
	go func() {
		defer wg.Done()
		first := true
		_ = w.Run(ctx, func(c Change) {
			ch <- c
			if first {
				first = false
				close(started)
				<-release // a slow rebuild
			}
		})
	}()

	write(t, dir, "content/_index.md", "1\n")
	expectChange(t, ch, "content/_index.md")
	<-started
	write(t, dir, "content/_index.md", "2\n")
	write(t, dir, "data/funnel.csv", "period,visits\n2025-Q1,11\n")
	write(t, dir, "content/_index.md", "3\n")
	close(release)
	expectChange(t, ch, "content/_index.md", "data/funnel.csv")
	write(t, dir, "funnel.yaml", "title: z\n")
	expectChange(t, ch, "funnel.yaml") // no third batch in between
}

// A lost-event overflow makes the next batch Full.
func TestWatcherOverflowAsksForAFullRebuild(t *testing.T) {
	dir := project(t)
	w := &Watcher{root: dir, o: WatchOptions{Dirs: DefaultDirs(), Files: []string{"funnel.yaml"}, Debounce: time.Millisecond}, pending: map[string]bool{}}
	events := make(chan fsnotify.Event)
	errs := make(chan error, 1)
	ch := make(chan Change, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.loop(ctx, events, errs, nil, func(c Change) { ch <- c })
	}()
	defer func() { cancel(); <-done }()

	errs <- fsnotify.ErrEventOverflow
	if c := nextChange(t, ch); !c.Full {
		t.Fatalf("after an overflow: %+v, want Full", c)
	}
	events <- fsnotify.Event{Name: filepath.Join(dir, "content", "_index.md"), Op: fsnotify.Write}
	expectChange(t, ch, "content/_index.md")
}

func TestIsTempName(t *testing.T) {
	for name, want := range map[string]bool{
		"_index.md": false, "funnel.csv": false, "2025-Q3.md": false, "#1-page.md": true,
		".2025-Q3.md.swp": true, ".x.swx": true, "x.md~": true, "4913": true, "a.tmp": true,
		".goutputstream-ABC": true, "x.md___jb_old___": true, "jb_tmp___": true, ".#x.md": true,
		"#x.md#": true, ".DS_Store": true, "49130": false,
	} {
		if got := isTempName(name); got != want {
			t.Errorf("isTempName(%q) = %v, want %v", name, got, want)
		}
	}
}

// A file written without a pause still gets built: the debounce waits at
// most ten times its delay.
func TestWatcherDoesNotStarveUnderConstantWrites(t *testing.T) {
	dir := project(t)
	w := &Watcher{root: dir, o: WatchOptions{Dirs: DefaultDirs(), Files: []string{"funnel.yaml"}, Debounce: 200 * time.Millisecond}, pending: map[string]bool{}}
	events := make(chan fsnotify.Event)
	ch := make(chan Change, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.loop(ctx, events, nil, nil, func(c Change) { ch <- c })
	}()
	defer func() { cancel(); <-done }()

	// Writes every 2 ms, far inside the 200 ms debounce, until a batch
	// comes out.
	ev := fsnotify.Event{Name: filepath.Join(dir, "data", "funnel.csv"), Op: fsnotify.Write}
	deadline := time.After(waitTimeout)
	for {
		select {
		case c := <-ch:
			if !slices.Equal(c.Paths, []string{"data/funnel.csv"}) {
				t.Fatalf("change = %v", c.Paths)
			}
			return
		case events <- ev:
			time.Sleep(2 * time.Millisecond)
		case <-deadline:
			t.Fatal("no batch while the file kept changing")
		}
	}
}

// A watched folder that is a symbolic link (data/ on a shared drive) is
// watched through the link.
func TestWatcherFollowsALinkedFolder(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run("poll="+poll.String(), func(t *testing.T) {
			dir := project(t)
			shared := t.TempDir()
			write(t, shared, "funnel.csv", "period,visits\n2025-Q1,10\n")
			mkdir(t, shared, "2025")
			if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(shared, filepath.Join(dir, "data")); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			ch := startWatcher(t, dir, WatchOptions{Debounce: testDebounce, Poll: poll})
			write(t, shared, "funnel.csv", "period,visits\n2025-Q1,11\n")
			expectChange(t, ch, "data/funnel.csv")
			write(t, shared, "2025/q2.csv", "period,visits\n2025-Q2,12\n")
			expectChange(t, ch, "data/2025/q2.csv")
		})
	}
}

// Sources named in the config are watched, also when the config starts
// naming them while serve runs.
func TestWatcherAddsConfiguredSources(t *testing.T) {
	dir := project(t)
	mkdir(t, dir, "exports")
	w, err := NewWatcher(dir, WatchOptions{Debounce: testDebounce})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Change, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.Run(ctx, func(c Change) {
			if slices.Contains(c.Paths, "funnel.yaml") { // what session.build does after a reload
				if err := w.Add([]string{"exports"}, []string{"leads-*.csv"}); err != nil {
					t.Error(err)
				}
			}
			ch <- c
		})
	}()
	defer func() { cancel(); <-done }()

	write(t, dir, "exports/crm.csv", "not watched yet")
	write(t, dir, "funnel.yaml", "sources: [{path: exports/crm.csv}, {path: leads-*.csv}]\n")
	expectChange(t, ch, "funnel.yaml")
	write(t, dir, "exports/crm.csv", "watched now")
	expectChange(t, ch, "exports/crm.csv")
	write(t, dir, "leads-2025.csv", "a root-level source")
	expectChange(t, ch, "leads-2025.csv")
}

func TestWatchOptionsFromConfig(t *testing.T) {
	cfg := &config.Config{Sources: []config.Source{{Path: "exports/crm/*.csv"}, {Path: "leads.csv"}, {Path: "data/a.csv"}, {Path: "*/b.csv"}}}
	wo, err := watchOptions(build.Options{Source: "proj"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(DefaultDirs(), "exports"); !slices.Equal(wo.Dirs, want) {
		t.Errorf("dirs %v, want %v", wo.Dirs, want)
	}
	if want := []string{"funnel.yaml", "leads.csv"}; !slices.Equal(wo.Files, want) {
		t.Errorf("files %v, want %v", wo.Files, want)
	}
	for _, out := range []string{"proj", "proj/data/site", "proj/exports/site"} {
		if _, err := watchOptions(build.Options{Source: "proj", Out: out}, cfg); err == nil {
			t.Errorf("--out %s inside a watched folder accepted", out)
		}
	}
	for _, out := range []string{"proj/public", "elsewhere", ""} {
		if _, err := watchOptions(build.Options{Source: "proj", Out: out}, cfg); err != nil {
			t.Errorf("--out %q refused: %v", out, err)
		}
	}
}
