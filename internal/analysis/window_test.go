package analysis_test

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/dataset"
)

// Conversion windows and windowed rates against a hand computation.
//
// January: conversions on days 3, 10, 20; one loss on day 5; one lead
// open for 200 days. February: conversions on days 3, 25, 30; two leads
// open for 40 and 50 days. Pooled (10 leads):
//
//	day  at risk  conv  lost   S(t−)  F(t)
//	 3     10      2            1     0.2
//	 5      8            1      0.8
//	10      7      1            0.7   0.3
//	20      6      1            0.6   0.4
//	25      5      1            0.5   0.5
//	30      4      1            0.4   0.6
//
// F(H) = 0.6, so p90 = min{t : F(t) ≥ 0.54} = 30 days, W = 35 (5 weeks).
// r^W: January 3 of 5, February 3 of 5. With window_days: 14, January 2
// of 5 (days 3, 10) and February 1 of 5 (day 3).
func TestConversionWindowByHand(t *testing.T) {
	const y = "steps: [{id: a}, {id: b%s}]\nsources: [{path: x, kind: records, records: {steps: {a: d0}}}]\n"
	lines := []string{"2025-01||a|5", "2025-01||b|3", "2025-02||a|5", "2025-02||b|3",
		"dur|2025-01|b|3", "dur|2025-01|b|10", "dur|2025-01|b|20", "lost|2025-01|b|5", "open|2025-01|b|200",
		"dur|2025-02|b|3", "dur|2025-02|b|25", "dur|2025-02|b|30", "open|2025-02|b|40", "open|2025-02|b|50"}
	for _, c := range []struct {
		window         string
		w, estimate    float64
		source         string
		janK, febK     float64
		janProvisional bool
	}{
		{"", 35, 30, "estimate", 3, 3, true}, // January is 31 days old at the end of February: younger than 35
		{", window_days: 14", 14, 30, "window_days", 2, 1, false},
	} {
		m := project(t, strings.Replace(y, "%s", c.window, 1), lines...)
		w := m.Windows[0]
		if !w.Days.OK() || w.Days.V() != c.w || w.Estimate.V() != c.estimate || w.Source != c.source {
			t.Errorf("%q: window %+v, want %v days (estimate %v, %s)", c.window, w, c.w, c.estimate, c.source)
		}
		jan := m.Funnel("2025-01", dataset.All).Durations[0]
		feb := m.Funnel("2025-02", dataset.All).Durations[0]
		if jan.WindowK.V() != c.janK || jan.WindowN.V() != 5 || !near(jan.WindowRate.V(), c.janK/5) {
			t.Errorf("%q: January r^W = %v/%v", c.window, jan.WindowK, jan.WindowN)
		}
		if feb.WindowK.V() != c.febK || feb.WindowN.V() != 5 {
			t.Errorf("%q: February r^W = %v/%v", c.window, feb.WindowK, feb.WindowN)
		}
		if jan.WindowProvisional != c.janProvisional || !feb.WindowProvisional {
			t.Errorf("%q: provisional January %v February %v, want %v and true (the latest cohort is younger than W)",
				c.window, jan.WindowProvisional, feb.WindowProvisional, c.janProvisional)
		}
	}
}

// A deliberately two-step funnel declares its scope: the stages it does
// not cover are not holes.
func TestScopeLeavesStagesOut(t *testing.T) {
	y := "steps: [{id: a, stage: consideration}, {id: b, stage: decision}]\n"
	lines := []string{"2025-01||a|10", "2025-01||b|3"}
	count := func(m *analysis.Model) int {
		n := 0
		for _, h := range m.Holes {
			if h.Kind == analysis.HoleStageUnmeasured {
				n++
			}
		}
		return n
	}
	if n := count(project(t, y, lines...)); n != 4 {
		t.Errorf("without scope: %d unmeasured stages, want 4", n)
	}
	m := project(t, "scope: [consideration, decision]\n"+y, lines...)
	if n := count(m); n != 0 {
		t.Errorf("with scope: %d unmeasured stages, want 0", n)
	}
	for _, st := range m.Stages {
		if want := st.ID != "consideration" && st.ID != "decision"; st.OutOfScope != want {
			t.Errorf("stage %s out of scope %v, want %v", st.ID, st.OutOfScope, want)
		}
	}
}
