package render_test

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Provisional, one rule (issue 10 item 8): on a records project whose
// latest cohorts are still maturing (Olist: W = 245 days), every page kind
// that prints a rate or an overall conversion resting on a maturing cohort
// marks it with the one mark — the headline, the funnel table, the trends
// tables, a segment page, a dimension page and the data page — and never
// marks a matured one.
func TestProvisionalMarkOnEveryPageKind(t *testing.T) {
	o := build.Options{Source: "../../examples/olist"}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	files := fileMap(r.Files)
	m := r.Model
	loc := i18n.For(m.Language)
	markText := "(" + loc.T("provisional_short") + ")"
	mark := `<span class="provisional" title="` + loc.T("provisional") + `">` + markText + `</span>`
	latest := m.Funnel(m.Latest, analysis.All)
	if !latest.Transitions[0].Provisional {
		t.Fatal("Olist's latest cohort is not provisional: the test has nothing to check")
	}
	kinds := map[string]int{}
	for _, pg := range r.Site.Pages {
		page := string(files[pg.Path])
		if strings.Contains(page, markText) && !strings.Contains(page, mark) {
			t.Errorf("%s marks a provisional number some other way", pg.Path)
		}
		if strings.Contains(page, mark) {
			kinds[pg.Kind]++
		}
	}
	for _, k := range []string{"home", "period", "segment", "dimension", "trends", "data"} {
		if kinds[k] == 0 {
			t.Errorf("no %s page marks a provisional number (marked: %v)", k, kinds)
		}
	}
	// The trends rates table: a period's row is marked exactly when its
	// transition is provisional.
	page := string(files["trends/index.html"])
	i := strings.Index(page, loc.T("rates_table"))
	if i < 0 {
		t.Fatal("no rates table on the trends page")
	}
	frag := page[i:]
	frag = frag[:strings.Index(frag, "</table>")]
	labels, cells := orderedRows(frag)
	seen := 0
	for j, label := range labels {
		for _, p := range m.Periods {
			if loc.Period(p) != label || len(cells[j]) == 0 {
				continue
			}
			seen++
			f := m.Funnel(p, analysis.All)
			if got, want := strings.Contains(cells[j][0], markText), f.Transitions[0].Provisional; got != want {
				t.Errorf("trends, %s: rate %q marked %v, provisional %v", p, cells[j][0], got, want)
			}
		}
	}
	if seen == 0 {
		t.Error("no period row read in the trends rates table")
	}
}
