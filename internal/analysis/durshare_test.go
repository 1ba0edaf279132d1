package analysis

import (
	"testing"

	"github.com/funnel-report/funnel/internal/dataset"
)

// TestBareDurationsShared: funnels with no time to convert share one
// read-only slice of bare durations (a 400-page snapshot site has 13,000
// such funnels), while a funnel with a known duration owns its slice, so
// filling it touches no other funnel.
func TestBareDurationsShared(t *testing.T) {
	y := `steps: [{id: a}, {id: b, max_days: 5}, {id: c}]
segments: [ch]
metrics: [{id: b_days, unit: days, duration_of: b}]
`
	rows := join(counts("2025-Q1", "", 100, 70, 20), counts("2025-Q1", "ch=web", 60, 40, 10),
		counts("2025-Q1", "ch=shop", 40, 30, 10), counts("2025-Q2", "", 100, 60, 20),
		counts("2025-Q2", "ch=web", 50, 30, 10), counts("2025-Q2", "ch=shop", 50, 30, 10),
		[]obs{{"2025-Q2", "", "b_days", 9}})
	m := analyzeRows(t, y, rows)
	q1 := m.Funnel("2025-Q1", dataset.All).Durations
	web := m.Funnel("2025-Q2", seg("ch=web")).Durations
	all := m.Funnel("2025-Q2", dataset.All).Durations
	if len(q1) != 2 || len(web) != 2 || len(all) != 2 {
		t.Fatalf("durations %d %d %d, want 2 each", len(q1), len(web), len(all))
	}
	if &q1[0] != &web[0] {
		t.Error("two funnels without durations hold copies, want one shared slice")
	}
	if &all[0] == &q1[0] {
		t.Fatal("the funnel with a median shares the bare slice")
	}
	for i, d := range q1 {
		if d.From != i || d.To != i+1 || d.Source != "" || d.Median.OK() || d.Ref.OK() || d.Load.OK() {
			t.Errorf("bare duration %d = %+v", i, d)
		}
	}
	// Q2's median of b: 9 days against max_days 5, load (9 − 5)·60.
	if all[0].Source != FromMetric || all[0].From != 0 || all[0].To != 1 {
		t.Errorf("Q2 b = %+v", all[0])
	}
	expectOpt(t, "load", all[0].Load, o(240))
	if all[1].From != 1 || all[1].To != 2 || all[1].Source != "" {
		t.Errorf("Q2 c = %+v, want bare", all[1])
	}
}
