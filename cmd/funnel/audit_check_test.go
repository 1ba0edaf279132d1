package main

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/testproject"
)

// The audit's pass over --fail-on: thresholds that could never fire are
// usage errors, and outcomes>N and the bare rules behave as the README
// table says.
func TestAuditFailOnRules(t *testing.T) {
	// Hand values for 2025-Q4, all clients, from data/funnel.csv with
	// python3 (the nine channel × region rows summed):
	//   counts  [26672, 1104, 775, 143, 130, 52, 13]
	//   gain of proposals → deals in referrals:
	//   775·(0.30 − 143/775)·(130/143)·(52/130)·(13/52) = 8.136363636363637
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"outcomes above", []string{"--fail-on", "outcomes>8"}, exitCheck, []string{"fail outcomes>8: proposals → deals", "gain 8,14 outcomes"}},
		{"outcomes below", []string{"--fail-on", "outcomes>8.2"}, exitOK, []string{"ok: 1 rule(s) passed"}},
		{"any drawn-out stage", []string{"--fail-on", "drawn-out"}, exitCheck, []string{"fail drawn-out: quote_requests → proposals"}},
		{"no rule fired is quiet with -q", []string{"-q", "--fail-on", "bottleneck>1000"}, exitOK, nil},
		// A NaN threshold compares false with everything: the gate could
		// never fail. Inf likewise. Both are usage errors.
		{"NaN threshold", []string{"--fail-on", "bottleneck>NaN"}, exitUsage, []string{"threshold"}},
		{"Inf threshold", []string{"--fail-on", "money>Inf"}, exitUsage, []string{"threshold"}},
		{"empty rule", []string{"--fail-on", ""}, exitUsage, []string{"rule"}},
		{"data error beats rules", []string{"--period", "1999-Q1", "--fail-on", "bottleneck"}, exitError, []string{"no such period"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := expectRun(t, tc.code, tc.want, append([]string{"check", "--source", example}, tc.args...)...)
			if tc.code == exitOK && strings.Contains(tc.args[0], "-q") && out != "" {
				t.Errorf("-q with nothing fired printed %q", out)
			}
		})
	}
}

// projectWith writes funnel.yaml and data/f.csv into a new folder.
func projectWith(t *testing.T, yaml, data string) string {
	t.Helper()
	return testproject.Write(t, "-- funnel.yaml --\n"+yaml+"\n-- data/f.csv --\n"+data)
}

// money>N on a project without deal_value can never fire: a CI gate that
// silently always passes. It is a usage error (exit 2).
func TestAuditMoneyRuleWithoutDealValue(t *testing.T) {
	dir := projectWith(t, "steps: [{id: a}, {id: b, target: 50%}]\n", "period,a,b\n2025-Q1,1000,100\n")
	expectRun(t, exitUsage, []string{"deal_value"}, "check", "--source", dir, "--fail-on", "money>0")
}

// In a records project grouped into cohorts, the latest cohort is always
// younger than the p90 time to convert, so it always has a "maturing"
// hole and --fail-on hole always fires (exit 3): a gate that can never
// pass. Maturing cohorts stay listed among the holes (docs/design.md §3), but the
// hole rule skips them: data still arriving is not an unmeasured stage.
func TestAuditHoleRuleOnMaturingCohorts(t *testing.T) {
	cfg, err := config.Parse("funnel.yaml", []byte("steps: [{id: a, stage: awareness}, {id: b, stage: consideration}]\n"+
		"stages: [{id: awareness}, {id: consideration}]\nsources: [{path: leads.csv, kind: records, records: {steps: {a: d0}}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := dataset.NewTable(nil)
	for i, p := range []string{"2025-01", "2025-02", "2025-03"} {
		for j, v := range []float64{100, 30} {
			if err = tb.Add(p, nil, []string{"a", "b"}[j], v, dataset.Pos{File: "leads.csv", Line: 2*i + j + 2}); err != nil {
				t.Fatal(err)
			}
		}
		tb.AddDuration(p, nil, "b", 12)
	}
	tb.Finalize(func(string) bool { return true })
	m, err := analysis.Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := parseRule("hole")
	if err != nil {
		t.Fatal(err)
	}
	if why := r.fired(m, m.Latest, numFormat{loc: i18n.For("en")}); len(why) > 0 {
		t.Errorf("every step measured in every period, yet hole fires: %v", why)
	}
}
