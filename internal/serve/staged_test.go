package serve

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/site"
	"github.com/funnel-report/funnel/internal/testproject"
)

// holder holds a build after each stage it publishes until released
// (Options.staged), and tells when a request waits for a later stage
// (Options.waiting).
type holder struct {
	stages  chan build.Stage
	release chan struct{}
	waits   chan string
}

func newHolder() *holder {
	return &holder{stages: make(chan build.Stage, 8), release: make(chan struct{}), waits: make(chan string, 8)}
}

func (h *holder) options(dir string) Options {
	return Options{
		Build:   build.Options{Source: dir},
		staged:  func(st build.Stage) { h.stages <- st; <-h.release },
		waiting: func(rel string) { h.waits <- rel },
	}
}

// stage waits for the next published stage.
func (h *holder) stage(t *testing.T) build.Stage {
	t.Helper()
	select {
	case st := <-h.stages:
		return st
	case <-time.After(waitTimeout):
		t.Fatal("no stage published")
		return build.Stage{}
	}
}

func decodeEvent(t testing.TB, data string) reloadMsg {
	t.Helper()
	var m reloadMsg
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameAsFresh fails unless the served site is, file for file, what a
// fresh build of the project makes.
func sameAsFresh(t *testing.T, ts *testServer, dir string) {
	t.Helper()
	fresh, err := build.Run(build.Options{Source: dir, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	st := ts.state.Load()
	if st.err != nil || len(st.pending) > 0 {
		t.Fatalf("served state: error %v, %d paths pending", st.err, len(st.pending))
	}
	if len(st.files) != len(fresh.Files) {
		t.Errorf("served %d files, a fresh build has %d", len(st.files), len(fresh.Files))
	}
	for _, f := range fresh.Files {
		if got, ok := st.files[f.Path]; !ok || !site.Equal(got, f) {
			t.Errorf("served %s differs from a fresh build's", f.Path)
		}
	}
}

// editExampleData changes one count of the example's latest period.
func editExampleData(t *testing.T, dir string) {
	t.Helper()
	csv := readProject(t, dir, "data/funnel.csv")
	edited := strings.Replace(csv, "2025-Q4,partners,Сибирь,1358,", "2025-Q4,partners,Сибирь,1400,", 1)
	if edited == csv {
		t.Fatal("the example's data lacks the edited row")
	}
	writeProject(t, dir, "data/funnel.csv", edited)
}

// A data edit reloads the page open in a browser as soon as that page is
// drawn, before the downloads are made; a download asked for meanwhile
// waits and is the new one, never the last build's; the site the build
// ends on is a fresh build's.
func TestServeOpenPageFirst(t *testing.T) {
	dir := testproject.CopyExample(t)
	h := newHolder()
	ts := startServer(t, h.options(dir))
	const open = "index.html"
	es := ts.openEventsFor(t, open)
	oldJSON := ts.page(t, "/"+export.JSONPath)

	editExampleData(t, dir)
	first := h.stage(t)
	if !slices.Contains(first.Changed, open) || !slices.Contains(first.Pending, export.JSONPath) || !slices.Contains(first.Pending, "data/index.html") {
		t.Fatalf("first stage: changed %v, pending %d paths; want %s changed, the downloads and the data page pending", first.Changed, len(first.Pending), open)
	}
	firstEvent := es.next(t)
	if m := decodeEvent(t, firstEvent); m.Full || !slices.Contains(m.Pages, open) {
		t.Fatalf("first event %+v, want %s to reload", m, open)
	}
	if !strings.Contains(ts.page(t, "/"), `data-version="`+ts.versionOf(ts.state.Load())+`"`) {
		t.Error("the open page is not served at the first event's version")
	}

	// The build is held after its first stage: the downloads are not made.
	got := make(chan string, 1)
	go func() {
		resp, err := ts.client.Get(ts.url + export.JSONPath)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b = append([]byte(resp.Status+" "), b...)
		}
		got <- string(b)
	}()
	select {
	case rel := <-h.waits:
		if rel != export.JSONPath {
			t.Fatalf("waiting for %s, want %s", rel, export.JSONPath)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the download was not held back while the build is under way")
	}
	close(h.release)
	json := <-got
	if json == oldJSON || !strings.HasPrefix(json, "{") {
		t.Errorf("download asked for during the rebuild: %.80q… is not the new export", json)
	}
	es.settle(t, firstEvent)
	if served := ts.page(t, "/"+export.JSONPath); served != json {
		t.Error("the download served after the build differs from the one served while it ran")
	}
	sameAsFresh(t, ts, dir)
}

// Two edits in a row, the second saved while the first build is still
// drawing, end on the site of the second.
func TestServeTwoQuickEdits(t *testing.T) {
	dir := testproject.CopyExample(t)
	h := newHolder()
	ts := startServer(t, h.options(dir))
	es := ts.openEventsFor(t, "index.html")

	editExampleData(t, dir)
	h.stage(t) // the first build holds after its first stage
	writeProject(t, dir, "data/funnel.csv", readProject(t, dir, "data/funnel.csv")+"2026-Q1,web,Центр,4000,120,80,12,11,4,1\n")
	close(h.release)
	const added = "periods/2026-q1/index.html"
	for {
		es.next(t)
		st := ts.settled(t)
		if _, ok := st.files[added]; ok {
			break
		}
	}
	sameAsFresh(t, ts, dir)
}

// A build that fails after it published a stage falls back to the last
// good site whole, with the error, and reloads every page.
func TestServeFailedStageFallsBack(t *testing.T) {
	dir := testproject.CopyExample(t)
	h := newHolder()
	close(h.release)
	ts := startServer(t, h.options(dir))
	es := ts.openEventsFor(t, "index.html")
	good := ts.state.Load().good

	// The home page draws; the period pages fail.
	writeProject(t, dir, "templates/period.html", `{{ define "x" }}{{ end }}`)
	h.stage(t)
	m := decodeEvent(t, es.next(t))
	st := ts.state.Load()
	if !m.Full || st.err == nil {
		t.Fatalf("event %+v, error %v; want a full reload with the error", m, st.err)
	}
	if len(st.pending) > 0 || len(st.files) != len(good) {
		t.Fatalf("after the failed build: %d files, %d pending; want the last good site's %d", len(st.files), len(st.pending), len(good))
	}
	for p, f := range good {
		if !site.Equal(st.files[p], f) {
			t.Errorf("after the failed build %s is not the last good site's", p)
		}
	}
	expectIn(t, "home after the failed build", ts.page(t, "/"), `id="funnel-build-error"`, "periods/2025-q4/index.html")
}

// A stream that reconnects at an older version (its page reloaded
// between two events of one build) hears one event standing for those it
// missed: a reload if any named its page, else only the new version.
func TestHubCatchUp(t *testing.T) {
	h := newHub("s-0")
	noop := func() {}
	h.broadcast(reloadMsg{V: "s-1", Pages: []string{"a.html"}}, noop)
	h.broadcast(reloadMsg{V: "s-2", Pages: []string{"b.html"}, Patch: map[string][]string{"b.html": {"x"}}}, noop)
	h.broadcast(reloadMsg{V: "s-3", Pages: []string{"c.html"}}, noop)
	cases := []struct {
		page, v string
		want    reloadMsg
	}{
		{"a.html", "s-3", reloadMsg{}},                                    // current: nothing missed
		{"a.html", "s-1", reloadMsg{V: "s-3"}},                            // a changed at s-1, not since
		{"b.html", "s-1", reloadMsg{V: "s-3", Pages: []string{"b.html"}}}, // patched since: reloads
		{"a.html", "s-0", reloadMsg{V: "s-3", Pages: []string{"a.html"}}},
		{"", "s-1", reloadMsg{V: "s-3", Pages: []string{"b.html", "c.html"}}}, // page unknown: every page named
		{"a.html", "other-7", reloadMsg{V: "s-3", Full: true}},                // another server process
	}
	for _, c := range cases {
		_, missed, cancel := h.subscribe(c.page, c.v)
		cancel()
		var got reloadMsg
		if missed != "" {
			data := missed[strings.Index(missed, "data: ")+len("data: "):]
			got = decodeEvent(t, strings.TrimSpace(data))
		}
		if got.V != c.want.V || got.Full != c.want.Full || !slices.Equal(got.Pages, c.want.Pages) || got.Patch != nil {
			t.Errorf("page %q at %s: missed %+v, want %+v", c.page, c.v, got, c.want)
		}
	}
	for i := range historyLen {
		h.broadcast(reloadMsg{V: "t-" + string(rune('a'+i%26)) + strings.Repeat("x", i)}, noop)
	}
	if _, missed, _ := h.subscribe("a.html", "s-3"); !strings.Contains(missed, `"full":true`) {
		t.Errorf("a version older than the history: %q, want a full reload", missed)
	}
}
