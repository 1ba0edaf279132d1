package render_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	h2Re       = regexp.MustCompile(`(?s)<h2[^>]*>(.*?)</h2>`)
	figcapRe   = regexp.MustCompile(`(?s)<figcaption>(.*?)</figcaption>`) // shown (no class="vh")
	shownCapRe = regexp.MustCompile(`(?s)<caption>(.*?)</caption>`)
)

// A title is said once on screen (issue 15, item 10): on every page of
// both examples no visible table caption or chart title repeats a section
// heading or a chart title above it (the repeats stay for screen readers,
// visually hidden).
func TestTitlesSaidOnce(t *testing.T) {
	for _, src := range []string{example, filepath.Join(example, "examples", "olist")} {
		for p, b := range fileMap(built(t, src).Files) {
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			page := string(b)
			seen := map[string]string{}
			for _, m := range h2Re.FindAllStringSubmatch(page, -1) {
				seen[text(m[1])] = "heading"
			}
			for _, m := range figcapRe.FindAllStringSubmatch(page, -1) {
				if what, ok := seen[text(m[1])]; ok {
					t.Errorf("%s %s: chart title %q repeats a %s", src, p, text(m[1]), what)
				}
				seen[text(m[1])] = "chart title"
			}
			for _, m := range shownCapRe.FindAllStringSubmatch(page, -1) {
				if what, ok := seen[text(m[1])]; ok {
					t.Errorf("%s %s: table caption %q repeats a %s", src, p, text(m[1]), what)
				}
			}
		}
	}
}

// A segment page lists only the stage metrics the segment has; a note
// names those measured for the whole funnel only (no rows of dashes).
func TestSegmentMetricsAreNotDashes(t *testing.T) {
	page := string(fileMap(built(t, example).Files)["segments/channel/web/index.html"])
	i := strings.Index(page, "Показатели этапов")
	if i < 0 {
		t.Fatal("the segment page has no metrics section")
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	for label, cells := range rows(sec) {
		if len(cells) >= 3 && cells[0] == "—" && cells[2] == "—" {
			t.Errorf("metric %q is a row of dashes: %q", label, cells)
		}
	}
	if !strings.Contains(sec, "без разбивки по сегментам") || !strings.Contains(sec, "NPS") {
		t.Errorf("no note names the metrics not split by segment:\n%s", sec)
	}
}
