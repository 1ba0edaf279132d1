package render

import (
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Every kind of hole reads as a sentence naming its stage, step, metric
// and period as people call them.
func TestHoleText(t *testing.T) {
	m := &analysis.Model{
		Stages:  []analysis.Stage{{ID: "advocacy", Name: "Advocacy"}},
		Steps:   []analysis.Step{{ID: "leads", Name: "Leads"}, {ID: "deals", Name: "Deals"}},
		Metrics: []analysis.Metric{{ID: "nps", Name: "NPS"}},
	}
	d := &pageData{L: i18n.For("en"), M: m}
	for _, c := range []struct {
		h    analysis.Hole
		want string
	}{
		{analysis.Hole{Kind: analysis.HoleStageUnmeasured, Stage: "advocacy"}, "The “Advocacy” stage is never measured: no step or metric belongs to it."},
		{analysis.Hole{Kind: analysis.HoleNeverMeasured, Metric: "nps"}, "“NPS” is configured but has no data at all."},
		{analysis.Hole{Kind: analysis.HolePeriodMissing, Period: "2025-Q2"}, "Q2 2025 is missing from the data."},
		{analysis.Hole{Kind: analysis.HoleStageNoData, Stage: "advocacy", Period: "2024-Q1"}, "The “Advocacy” stage has no step or metric data in Q1 2024."},
		{analysis.Hole{Kind: analysis.HoleSeriesGap, Step: "deals", Period: "2025-03"}, "“Deals” has no data in Mar 2025, though the periods around it have."},
		{analysis.Hole{Kind: analysis.HoleOrphanStep, Step: "deals", Period: "2025-Q1"}, "“Deals” is counted while the step before it, “Leads”, is not (Q1 2025): its conversion is unknown."},
		{analysis.Hole{Kind: analysis.HoleMaturing, Step: "deals", Period: "2018-05", Days: analysis.Some(162.7), Age: analysis.Some(0)},
			"The May 2018 cohort is still maturing: reaching “Deals” takes a conversion window of 162.7\u00a0days, its youngest leads are 0\u00a0days old — its conversion is provisional, not a drop."},
	} {
		if got := holeText(d, c.h); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.h.Kind, got, c.want)
		}
	}
}
