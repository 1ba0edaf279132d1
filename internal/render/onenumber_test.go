package render_test

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
)

// One number, one place (issue 10 item 7): on every page of every kind, a
// finding and the table beside it cite the same formatted figure against
// the same named baseline. Findings are drawn on home and period pages
// only; every other page kind must draw none. Checked on the example
// (snapshots) and on Olist (records: rates are r^W within W days).
func TestFindingsAndTablesCiteOneNumber(t *testing.T) {
	for _, src := range []string{example, "../../examples/olist"} {
		t.Run(src, func(t *testing.T) {
			r := built(t, src)
			files := fileMap(r.Files)
			m := r.Model
			loc := i18n.For(m.Language)
			checked := map[string]int{}
			kinds := map[string]bool{}
			for _, pg := range r.Site.Pages {
				kinds[pg.Kind] = true
				page := string(files[pg.Path])
				switch pg.Kind {
				case "home":
					checked["stage cards"] += stageCardsCite(t, page, m, loc, pg.Period)
				case "trends":
					checked["folded trends"] += foldsCite(t, page, m, loc)
				}
				fs := section(t, page, "findings")
				if pg.Kind != "home" && pg.Kind != "period" {
					if fs != "" {
						t.Errorf("%s (%s) draws findings", pg.Path, pg.Kind)
					}
					continue
				}
				for _, s := range findings.Sentences(m, pg.Period, loc) {
					if !strings.Contains(text(fs), s.Text) {
						t.Errorf("%s lacks the finding %q", pg.Path, s.Text)
						continue
					}
					if oneNumber(t, pg.Path, page, files, r, m, loc, s) {
						checked[s.Finding.Kind]++
					}
				}
			}
			if len(kinds) < 5 {
				t.Errorf("only page kinds %v", kinds)
			}
			if src == example && checked[analysis.FindingBottleneck]*checked[analysis.FindingFarBelow]*checked[analysis.FindingDrawnOut] == 0 {
				t.Errorf("the example's bottlenecks, far-below and drawn-out findings were not all checked: %v", checked)
			}
			if checked["stage cards"] == 0 || (src != example && checked["folded trends"] == 0) {
				t.Errorf("no stage card or folded trend was checked against the model: %v", checked)
			}
			if len(checked) == 0 {
				t.Error("no finding was checked against a table")
			}
			t.Logf("findings checked against their tables: %v", checked)
		})
	}
}

// stageCardsCite checks that the home page's stage cards print the
// model's conversion through each stage, marked as the model flags it;
// it returns how many it checked.
func stageCardsCite(t *testing.T, page string, m *analysis.Model, loc *i18n.Locale, period string) int {
	t.Helper()
	f := m.Funnel(period, analysis.All)
	n := 0
	for i, st := range m.Stages {
		if f == nil || i >= len(f.StageConversions) || !f.StageConversions[i].Rate.OK() || !m.StageMeasured(period, st.ID) {
			continue
		}
		sc := f.StageConversions[i]
		v := loc.Pct(sc.Rate.V())
		if sc.Small {
			v += " (" + loc.T("small_sample") + ")"
		}
		if sc.Provisional {
			v += " (" + loc.T("provisional_short") + ")"
		}
		if want := "<b>" + v + "</b> " + loc.T("stage_conversion"); !strings.Contains(page, want) {
			t.Errorf("home: the %s card lacks %q", st.ID, want)
		}
		n++
	}
	return n
}

// foldsCite checks that each folded trend's "other (N)" line draws the
// model's pooled rates of the periods shown; it returns how many lines
// it checked.
func foldsCite(t *testing.T, page string, m *analysis.Model, loc *i18n.Locale) int {
	t.Helper()
	lines := otherLines(t, page)
	n := 0
	for _, fd := range m.Folds {
		name := loc.Tf("other_segments_n", len(fd.Rest))
		line, ok := lines[name]
		if !ok {
			continue
		}
		shown := fd.Periods[len(fd.Periods)-len(line):]
		for i, p := range shown {
			if w := charts.Value(p.Rate.V(), p.Rate.OK()); w != line[i] && !(w == nil && line[i] == "-") {
				t.Errorf("trends: %s in %s is %v, the model's pooled rate %v", name, p.Period, line[i], w)
			}
		}
		n++
	}
	return n
}

// oneNumber checks one finding against the table beside it; false when
// the finding cites no table figure.
func oneNumber(t *testing.T, path, page string, files map[string][]byte, r *build.Result, m *analysis.Model, loc *i18n.Locale, s findings.Sentence) bool {
	t.Helper()
	f := s.Finding
	v := func(name string) string {
		x, ok := f.Get(name)
		if !ok {
			return ""
		}
		return findings.Format(loc, m.Currency, x)
	}
	label := ""
	if f.From >= 0 && f.To >= 0 {
		label = m.Steps[f.From].Name + " → " + m.Steps[f.To].Name
	}
	// rate: the tested rate, its window named in the cell as in the sentence.
	rateOK := func(cell string) bool {
		if !strings.HasPrefix(cell, v("rate")) {
			return false
		}
		if w := v("window"); w != "" {
			return strings.Contains(cell, w) && strings.Contains(s.Text, w)
		}
		return true
	}
	baseline := func(cell string) {
		want := findings.Baseline(loc, f.RefSource, int(valueOr(f, "periods")), f.Period)
		if cell != want {
			t.Errorf("%s: %s: the table names the baseline %q, want %q", path, s.Text, cell, want)
		}
		if f.RefSource == analysis.RefPrevious && !strings.Contains(s.Text, findings.Periods(loc, f.Period, int(valueOr(f, "periods")))) {
			t.Errorf("%s: %q does not name its baseline %q", path, s.Text, findings.Periods(loc, f.Period, int(valueOr(f, "periods"))))
		}
	}
	row := func(sectionClass string, match func(label string, cells []string) bool) []string {
		labels, cells := orderedRows(section(t, page, sectionClass))
		for i := range labels {
			if match(labels[i], cells[i]) {
				return cells[i]
			}
		}
		return nil
	}
	seg := func(key string) string {
		if key == "all" {
			return loc.T("all_segments")
		}
		return findings.Segment(key, loc)
	}
	switch f.Kind {
	case analysis.FindingBottleneck:
		c := row("bottlenecks", func(l string, _ []string) bool { return l == v("rank")+". "+label })
		if c == nil {
			t.Errorf("%s: no bottleneck row %s. %s", path, v("rank"), label)
			return false
		}
		if !rateOK(c[0]) || c[1] != v("reference") || c[4] != v("extra") {
			t.Errorf("%s: %q; table row %q", path, s.Text, c)
		}
		if x := v("value"); x != "" && c[5] != x {
			t.Errorf("%s: money %s in the finding, %s in the table", path, x, c[5])
		}
		baseline(c[2])
	case analysis.FindingFarBelow:
		c := row("drops", func(l string, cells []string) bool {
			return l == label && len(cells) == 7 && cells[0] == seg(f.Segment) && cells[3] != "" && !strings.Contains(cells[2], "п. п.") && !strings.Contains(cells[2], "pp")
		})
		if c == nil {
			t.Errorf("%s: no far-below row %s, %s", path, label, f.Segment)
			return false
		}
		if !rateOK(c[1]) || c[2] != v("reference") || (v("lost") != "" && c[6] != v("lost")) {
			t.Errorf("%s: %q; table row %q", path, s.Text, c)
		}
		baseline(c[3])
	case analysis.FindingDrop:
		c := row("drops", func(l string, cells []string) bool {
			return l == label && len(cells) == 7 && cells[0] == seg(f.Segment) && cells[3] == v("change")
		})
		if c == nil {
			t.Errorf("%s: no drop row %s, %s, %s", path, label, f.Segment, v("change"))
			return false
		}
		if !rateOK(c[1]) || !strings.HasPrefix(c[2], v("prev")) || (v("lost") != "" && c[6] != v("lost")) {
			t.Errorf("%s: %q; table row %q", path, s.Text, c)
		}
	case analysis.FindingDrawnOut:
		c := row("durations", func(l string, _ []string) bool { return l == label })
		if c == nil {
			t.Errorf("%s: no durations row %s", path, label)
			return false
		}
		if !strings.HasPrefix(c[0], v("median")) || c[3] != v("reference") || (v("load") != "" && c[5] != v("load")) {
			t.Errorf("%s: %q; table row %q", path, s.Text, c)
		}
	case analysis.FindingKPI:
		i := m.MetricIndex(f.Metric)
		sc := text(section(t, page, "scorecard"))
		if i < 0 || !strings.Contains(sc, m.Metrics[i].Name) || !strings.Contains(sc, v("value")) || !strings.Contains(sc, v("target")) {
			t.Errorf("%s: the scorecard lacks %q (value %s, target %s)", path, s.Text, v("value"), v("target"))
		}
	case analysis.FindingSegmentLoss:
		// The segment's page compares it with the other segments.
		var segPage string
		for _, pg := range r.Site.Pages {
			if pg.Kind == "segment" && pg.Segment.String() == f.Segment {
				segPage = string(files[pg.Path])
			}
		}
		i := strings.Index(segPage, loc.T("vs_all_table"))
		if i < 0 {
			t.Errorf("%s: no comparison table on the page of %s", path, f.Segment)
			return false
		}
		c := rows(segPage[i:])[label]
		if len(c) < 4 || !rateOK(c[0]) || c[1] != v("others") || c[3] != v("loss") {
			t.Errorf("%s: %q; the segment page's row %q", path, s.Text, c)
		}
	default:
		return false
	}
	return true
}

func valueOr(f analysis.Finding, name string) float64 {
	if x, ok := f.Get(name); ok {
		return x.V
	}
	return 0
}
