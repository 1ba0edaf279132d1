package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
)

// A segment with fewer cases than min_sample at a step: its rate is shown
// greyed with "small sample" on the pages, and it is never ranked or
// tested. Here the tiny channel's 1 of 10 (then 0 of 10) is far under the
// 30% target and a fall from the quarter before: a claim were it tested.
func TestSmallSampleGreyedNeverTested(t *testing.T) {
	dir := t.TempDir()
	csv := "period,channel,leads,deals\n"
	for _, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"} {
		tiny := "1"
		if p == "2025-Q4" {
			tiny = "0"
		}
		csv += p + ",big,1000,300\n" + p + ",tiny,10," + tiny + "\n"
	}
	for name, body := range map[string]string{
		"data/funnel.csv": csv,
		"funnel.yaml":     "title: T\nlanguage: en\nsteps: [{id: leads}, {id: deals, target: 0.3}]\nsegments: [channel]\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	m := r.Model
	var tiny *analysis.Funnel
	for _, f := range m.Funnels {
		if f.Period == "2025-Q4" && f.Segment.Value == "tiny" {
			tiny = f
		}
	}
	if tiny == nil || len(tiny.Transitions) != 1 {
		t.Fatalf("no tiny funnel for 2025-Q4")
	}
	tr := tiny.Transitions[0]
	if !tr.Small || tr.PBelow.OK() || tr.PFall.OK() || tr.Confident || tr.FarBelow || tr.Fell {
		t.Errorf("tiny's transition is tested or claimed: %+v", tr)
	}
	d := m.Diagnosis("2025-Q4")
	for _, x := range d.Drops {
		if x.Segment.Value == "tiny" {
			t.Errorf("tiny ranked as a drop: %+v", x)
		}
	}
	for _, x := range d.FarBelow {
		if x.Segment.Value == "tiny" {
			t.Errorf("tiny ranked as far below: %+v", x)
		}
	}

	if err = build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	files := fileMap(r.Files)
	seen := 0
	for path, b := range files {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		for _, tr := range strings.Split(string(b), "<tr") {
			tr, _, _ = strings.Cut(tr, "</tr>")
			switch {
			case strings.Contains(tr, ">tiny<") && strings.Contains(tr, "%"):
				seen++
				if !strings.Contains(tr, `class="small-sample"`) || !strings.Contains(tr, "small sample") {
					t.Errorf("%s: tiny's rates not greyed as a small sample:\n<tr%s", path, tr)
				}
			case strings.Contains(tr, ">big<") && strings.Contains(tr, `class="small-sample"`):
				t.Errorf("%s: big's 1,000 leads marked as a small sample:\n<tr%s", path, tr)
			}
		}
	}
	if seen == 0 {
		t.Error("no page shows tiny's rates in a table")
	}
}
