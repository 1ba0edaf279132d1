package render_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Two figures a page shows that render used to compute (issue 10 item
// 7): the home stage cards' conversion through a stage and the pooled
// "other (N)" line of a folded trend. Both are the model's, checked here
// against a hand computation on a small project, on the pages and in
// funnel.json.
//
// Eight channels; the latest quarter ranks a…f as the six largest, so g
// and h fold. Q1: g 40 → 4 deals, h 10 → 3: 7 of 50 = 14%. Q2: g 20 → 2,
// h 5 → 1: 3 of 25 = 12%, under min_sample 30. All channels in Q2: 4,525
// leads, 2,263 requests, 228 deals: consideration 2,263 / 4,525 (leads →
// requests), decision 228 / 2,263 = 10.1%, far under the 30% target on
// thousands of requests — a confirmed gap, status bad.
func TestStageCardsAndFoldCiteTheModel(t *testing.T) {
	csv := "period,channel,leads,requests,deals\n"
	big := []struct {
		ch string
		n  int
	}{{"a", 1000}, {"b", 900}, {"c", 800}, {"d", 700}, {"e", 600}, {"f", 500}}
	for _, p := range []string{"2025-Q1", "2025-Q2"} {
		for _, b := range big {
			csv += p + "," + b.ch + "," + itoa(b.n) + "," + itoa(b.n/2) + "," + itoa(b.n/20) + "\n"
		}
	}
	csv += "2025-Q1,g,40,20,4\n2025-Q1,h,10,5,3\n2025-Q2,g,20,10,2\n2025-Q2,h,5,3,1\n"
	r := builtProject(t, map[string]string{
		"data/funnel.csv": csv,
		"funnel.yaml": "title: T\nlanguage: en\nsegments: [channel]\nscope: [awareness, consideration, decision]\n" +
			"steps: [{id: leads, stage: awareness}, {id: requests, stage: consideration}, {id: deals, stage: decision, target: 0.3}]\n",
	})
	m := r.Model
	loc := i18n.For("en")

	// The model, by hand.
	st := map[string]analysis.Stage{}
	for _, s := range m.Stages {
		st[s.ID] = s
	}
	if a, c, d := st["awareness"], st["consideration"], st["decision"]; a.From != 0 || a.To != 0 || c.From != 0 || c.To != 1 || d.From != 1 || d.To != 2 {
		t.Fatalf("stage spans %+v %+v %+v, want 0→0, 0→1, 1→2", a, c, d)
	}
	all := m.Funnel("2025-Q2", analysis.All)
	sc := all.StageConversions
	if len(sc) != len(m.Stages) {
		t.Fatalf("%d stage conversions for %d stages", len(sc), len(m.Stages))
	}
	want := map[string]float64{"consideration": 2263.0 / 4525, "decision": 228.0 / 2263}
	for i, s := range m.Stages {
		w, ok := want[s.ID]
		if got := sc[i].Rate; got.OK() != ok || (ok && got.V() != w) {
			t.Errorf("stage %s: conversion %+v, want %v (defined %v)", s.ID, got, w, ok)
		}
		if sc[i].Small || sc[i].Provisional {
			t.Errorf("stage %s: %+v is neither small nor provisional", s.ID, sc[i])
		}
	}
	if s := sc[2].Status; s != analysis.StatusBad {
		t.Errorf("decision status %q, want bad: 10%% against a 30%% target on 2,263 requests", s)
	}
	fd := m.Fold("channel")
	if fd == nil {
		t.Fatal("no fold of channel")
	}
	if strings.Join(fd.Top, ",") != "a,b,c,d,e,f" || strings.Join(fd.Rest, ",") != "g,h" {
		t.Errorf("fold top %v rest %v, want a…f and g, h", fd.Top, fd.Rest)
	}
	pools := []analysis.Pooled{
		{Period: "2025-Q1", Entered: analysis.Some(50), Converted: analysis.Some(7), Rate: analysis.Some(7.0 / 50)},
		{Period: "2025-Q2", Entered: analysis.Some(25), Converted: analysis.Some(3), Rate: analysis.Some(3.0 / 25), Small: true},
	}
	if len(fd.Periods) != 2 || fd.Periods[0] != pools[0] || fd.Periods[1] != pools[1] {
		t.Errorf("pooled %+v, want %+v", fd.Periods, pools)
	}

	// The pages format those numbers.
	files := fileMap(r.Files)
	home := string(files["index.html"])
	for _, card := range []string{
		"<b>4,525</b> " + "leads",
		"<b>" + loc.Pct(want["consideration"]) + "</b> " + loc.T("stage_conversion"),
		"<b>" + loc.Pct(want["decision"]) + "</b> " + loc.T("stage_conversion"),
		loc.T("stage_status_bad"),
	} {
		if !strings.Contains(home, card) {
			t.Errorf("the home page's stage cards lack %q", card)
		}
	}
	if loc.Pct(want["decision"]) != "10.1%" {
		t.Errorf("decision formats as %s, want 10.1%%", loc.Pct(want["decision"]))
	}
	other := otherLine(t, string(files["trends/index.html"]))
	if other.Name != loc.Tf("other_segments_n", 2) || len(other.Data) != 2 || other.Data[0] != 0.14 || other.Data[1] != 0.12 {
		t.Errorf("the trend's other line is %+v, want other (2) at 14%% and 12%%", other)
	}

	// funnel.json carries them.
	b, err := export.JSON(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Model struct {
			Stages []struct {
				ID       string `json:"id"`
				From, To int
			} `json:"stages"`
			Funnels []struct {
				Period  string `json:"period"`
				Segment string `json:"segment"`
				Stages  []struct {
					Rate   *float64 `json:"rate"`
					Status string   `json:"status"`
				} `json:"stage_conversions"`
			} `json:"funnels"`
			Folds []struct {
				Dimension string   `json:"dimension"`
				Rest      []string `json:"rest"`
				Periods   []struct {
					Entered, Converted, Rate float64
					Small                    bool `json:"small_sample"`
				} `json:"periods"`
			} `json:"folds"`
		} `json:"model"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if s := doc.Model.Stages; len(s) < 3 || s[2].ID != "decision" || s[2].From != 1 || s[2].To != 2 {
		t.Errorf("exported stages %+v", s)
	}
	found := false
	for _, f := range doc.Model.Funnels {
		if f.Period == "2025-Q2" && f.Segment == "all" {
			found = true
			if len(f.Stages) < 3 || f.Stages[0].Rate != nil || f.Stages[2].Rate == nil || *f.Stages[2].Rate != 0.100751 || f.Stages[2].Status != "bad" {
				t.Errorf("exported stage conversions %+v, want none for awareness and 0.100751 (6 digits), bad, for decision", f.Stages)
			}
		}
	}
	if !found {
		t.Error("no exported all-channels funnel of 2025-Q2")
	}
	if fs := doc.Model.Folds; len(fs) != 1 || fs[0].Dimension != "channel" || len(fs[0].Periods) != 2 ||
		fs[0].Periods[1].Entered != 25 || fs[0].Periods[1].Converted != 3 || fs[0].Periods[1].Rate != 0.12 || !fs[0].Periods[1].Small || fs[0].Periods[0].Small {
		t.Errorf("exported folds %+v", fs)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// otherLine is the folded "other" line of the first trend by segment on
// a trends page.
func otherLine(t *testing.T, page string) (line struct {
	Name string
	Data []any
}) {
	t.Helper()
	for name, data := range otherLines(t, page) {
		line.Name, line.Data = name, data
		return line
	}
	t.Fatal("no folded other line on the trends page")
	return line
}

// otherLines are the folded "other" lines (dashed) of a page's charts by
// name: each point's value, or "-" for none.
func otherLines(t *testing.T, page string) map[string][]any {
	t.Helper()
	out := map[string][]any{}
	for _, m := range regexp.MustCompile(`(?s)<script type="application/json" id="[^"]+-option">(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		var opt struct {
			Series []struct {
				Name      string            `json:"name"`
				Data      []json.RawMessage `json:"data"`
				LineStyle map[string]any    `json:"lineStyle"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatal(err)
		}
		for _, s := range opt.Series {
			if s.LineStyle["type"] != "dashed" || !strings.Contains(s.Name, "(") {
				continue
			}
			var vals []any
			for _, d := range s.Data {
				var pt struct {
					Value any `json:"value"`
				}
				var v float64
				switch {
				case json.Unmarshal(d, &pt) == nil:
					vals = append(vals, pt.Value)
				case json.Unmarshal(d, &v) == nil:
					vals = append(vals, v)
				default:
					vals = append(vals, "-")
				}
			}
			out[s.Name] = vals
		}
	}
	return out
}

// On Olist (records) the latest month is still maturing: the conversion
// through the decision stage and the pooled "other" origins of that
// month carry the provisional flag of the transitions beneath them, and
// an older, mature month carries none.
func TestStageAndFoldProvisionalOnRecords(t *testing.T) {
	r := built(t, "../../examples/olist")
	m := r.Model
	fd := m.Fold("origin")
	if fd == nil {
		t.Fatal("Olist's origins are not folded")
	}
	di := -1
	for i, s := range m.Stages {
		if s.ID == "decision" {
			di = i
		}
	}
	for pi, p := range m.Periods {
		all := m.Funnel(p, analysis.All)
		prov := all.Transitions[0].Provisional
		if got := all.StageConversions[di].Provisional; got != prov {
			t.Errorf("%s: decision stage provisional %v, its transition %v", p, got, prov)
		}
		if pi == len(m.Periods)-1 && (!prov || !fd.Periods[pi].Provisional) {
			t.Errorf("%s: the latest month is not provisional (transition %v, fold %v)", p, prov, fd.Periods[pi].Provisional)
		}
		if pi == 0 && (prov || fd.Periods[pi].Provisional) {
			t.Errorf("%s: the first month is provisional", p)
		}
	}
}
