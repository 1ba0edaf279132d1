package serve

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/site"
	"github.com/funnel-report/funnel/internal/testproject"
)

func page(commentary ...string) []byte {
	var b strings.Builder
	b.WriteString("<html><body><h1>Report</h1>")
	for _, c := range commentary {
		b.WriteString(commentaryOpen + c + "</section><p>between</p>")
	}
	b.WriteString("<section class=\"table\">t</section></body></html>")
	return []byte(b.String())
}

func files(pages map[string][]byte) map[string]site.File {
	out := map[string]site.File{}
	for p, d := range pages {
		out[p] = site.File{Path: p, Data: d}
	}
	return out
}

// decode reads the data line of an event.
func decode(t *testing.T, event string) reloadMsg {
	t.Helper()
	var m reloadMsg
	for line := range strings.Lines(event) {
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatalf("event data %q: %v", data, err)
			}
			return m
		}
	}
	t.Fatalf("no data in %q", event)
	return m
}

func TestSplitCommentary(t *testing.T) {
	nested := page("<p>a</p><section><p>inner</p></section><p>b</p>", "<p>c</p>")
	rest, parts := splitCommentary(nested)
	want := []string{"<p>a</p><section><p>inner</p></section><p>b</p>", "<p>c</p>"}
	if len(parts) != 2 || string(parts[0]) != want[0] || string(parts[1]) != want[1] {
		t.Errorf("parts %q, want %q", parts, want)
	}
	if string(rest) != string(page("", "")) {
		t.Errorf("rest %q", rest)
	}
	if _, parts := splitCommentary([]byte("<p>x</p>" + commentaryOpen + "<section>open")); parts != nil {
		t.Errorf("an unclosed section gave parts %q", parts)
	}
}

func TestReloadMessage(t *testing.T) {
	old := files(map[string][]byte{
		"index.html":            page("<p>old</p>"),
		"periods/q1/index.html": page("<p>q1</p>"),
		"stages/a/index.html":   page("<p>a</p>"),
		"charted/index.html":    page(`<figure class="chart-box"><div class="chart"></div></figure><p>x</p>`),
		"gone/index.html":       page(),
	})
	cur := files(map[string][]byte{
		"index.html":            page("<p>new</p>"),
		"periods/q1/index.html": []byte(strings.Replace(string(page("<p>q1</p>")), "Report", "Report 2", 1)),
		"stages/a/index.html":   page("<p>a</p>", "<p>added</p>"),
		"charted/index.html":    page(`<figure class="chart-box"><div class="chart"></div></figure><p>y</p>`),
	})
	changed := []string{"charted/index.html", "data/funnel.json", "gone/index.html", "index.html", "periods/q1/index.html", "stages/a/index.html"}
	m := decode(t, reloadMessage("v2", old, cur, changed, false))
	if m.V != "v2" || m.Full {
		t.Fatalf("message %+v: want version v2, not full", m)
	}
	if want := []string{"charted/index.html", "gone/index.html", "index.html", "periods/q1/index.html", "stages/a/index.html"}; !reflect.DeepEqual(m.Pages, want) {
		t.Errorf("pages %q, want %q", m.Pages, want)
	}
	// Only the home page's change is all commentary; a changed title, a
	// new section, a chart in the commentary and a removed page reload.
	if want := map[string][]string{"index.html": {"<p>new</p>"}}; !reflect.DeepEqual(m.Patch, want) {
		t.Errorf("patch %q, want %q", m.Patch, want)
	}

	for _, c := range []struct {
		why     string
		changed []string
		full    bool
	}{
		{"a stylesheet", []string{"assets/site.css", "index.html"}, false},
		{"an image", []string{"img/logo.svg"}, false},
		{"a failed build, a refresh or a first build", []string{"index.html"}, true},
	} {
		if m := decode(t, reloadMessage("v3", old, cur, c.changed, c.full)); !m.Full || m.Pages != nil || m.Patch != nil {
			t.Errorf("%s: %+v, want a full reload", c.why, m)
		}
	}
}

// TestServeSendsCommentaryPatch: on the served example, a commentary save
// sends the home page's new commentary, and no other page changes.
func TestServeSendsCommentaryPatch(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	es := ts.openEvents(t)
	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\n## Свежий вывод\n\nКомментарий консультанта.\n")
	var m reloadMsg
	if err := json.Unmarshal([]byte(es.reload(t)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Full || !reflect.DeepEqual(m.Pages, []string{"index.html"}) || len(m.Patch["index.html"]) != 1 ||
		!strings.Contains(m.Patch["index.html"][0], "Свежий вывод") {
		t.Errorf("event after a commentary save: %+v; want the home page patched, nothing else", m)
	}
	expectIn(t, "home", ts.page(t, "/"), "Свежий вывод")
}
