package dataset

import (
	"slices"
	"strings"
	"testing"
)

// A CRM pipeline export as a new user maps it: the close date dates "won",
// and lost deals carry a close date too.
const pipelineYAML = `
steps: [{id: engaged}, {id: won}]
metrics: [{id: deal_value, unit: money}]
sources:
  - path: data/pipeline.csv
    kind: records
    records:
      steps: {engaged: engage_date, won: close_date}
      status_column: deal_stage
      status: {Engaging: engaged, Won: won, Lost: lost, Prospecting: ~}
      lost_date: close_date
      value: close_value
      granularity: quarter
`

const pipelineCSV = "opportunity_id,deal_stage,engage_date,close_date,close_value\n" +
	"1,Won,2025-01-10,2025-01-20,100\n" + // won after 10 days
	"2,Lost,2025-01-15,2025-02-14,0\n" + // lost after 30 days: not won, not in the mean value
	"3,Lost,2025-02-01,2025-02-03,0\n" + // lost after 2 days
	"4,Engaging,2025-03-01,,\n" + // open: censored at the latest date (2025-03-31), 30 days
	"5,Prospecting,,,\n" + // not yet in this funnel
	"6,Won,2025-03-21,2025-03-31,300\n" // won after 10 days; the latest date

// A status caps the furthest step: a lost deal's close date dates its loss,
// never "won"; the deal value averages the won deals only.
func TestStatusCapsLostDeals(t *testing.T) {
	tb := mustLoad(t, pipelineYAML, map[string]string{"data/pipeline.csv": pipelineCSV})
	expectValue(t, tb, "2025-Q1", All, "engaged", 5)
	expectValue(t, tb, "2025-Q1", All, "won", 2)
	expectValue(t, tb, "2025-Q1", All, "deal_value", 200)
	expectDurations(t, tb, "2025-Q1", All, "won", 10, 10)
	lost, open := tb.Exits("2025-Q1", All, "won")
	if !slices.Equal(lost, []float64{2, 30}) || !slices.Equal(open, []float64{30}) {
		t.Errorf("exits: lost %v open %v, want [2 30] and [30]", lost, open)
	}
	if tb.Dropped != 1 {
		t.Errorf("dropped %d, want 1 (Prospecting)", tb.Dropped)
	}
}

// The config that caused the bug, "Lost" mapped to the step before "won":
// the close date of a lost deal contradicts it. That is an error naming
// file, line and column, never a silent count.
func TestStatusContradictionIsAnError(t *testing.T) {
	yaml := strings.Replace(pipelineYAML, "Lost: lost", "Lost: engaged", 1)
	yaml = strings.Replace(yaml, "      lost_date: close_date\n", "", 1)
	expectLoadError(t, yaml, map[string]string{"data/pipeline.csv": pipelineCSV},
		"data/pipeline.csv:3", "close_date", `status "Lost" stops at step "engaged"`, `dates step "won"`)
	// An open deal with a close date contradicts its status too.
	csv := pipelineCSV + "7,Engaging,2025-03-02,2025-03-05,\n"
	expectLoadError(t, pipelineYAML, map[string]string{"data/pipeline.csv": csv},
		"data/pipeline.csv:8", "close_date", `status "Engaging" stops at step "engaged"`)
}

// A close date may date a "closed" step for every closed deal and "won"
// for the won ones: the status says which.
func TestStatusSharedCloseColumn(t *testing.T) {
	yaml := strings.Replace(pipelineYAML, "[{id: engaged}, {id: won}]", "[{id: engaged}, {id: closed}, {id: won}]", 1)
	yaml = strings.Replace(yaml, "{engaged: engage_date, won: close_date}", "{engaged: engage_date, closed: close_date, won: close_date}", 1)
	yaml = strings.Replace(yaml, "Lost: lost", "Lost: closed", 1)
	yaml = strings.Replace(yaml, "      lost_date: close_date\n", "", 1)
	tb := mustLoad(t, yaml, map[string]string{"data/pipeline.csv": pipelineCSV})
	expectValue(t, tb, "2025-Q1", All, "closed", 4)
	expectValue(t, tb, "2025-Q1", All, "won", 2)
	expectDurations(t, tb, "2025-Q1", All, "closed", 2, 10, 10, 30)
	expectDurations(t, tb, "2025-Q1", All, "won", 0, 0)
}

// In an event log, an event mapped to lost is a competing event; a lead
// with no later event is open, censored at the log's latest date.
func TestEventLostStep(t *testing.T) {
	yaml := `
steps: [{id: lead}, {id: deal}]
sources:
  - path: data/events.csv
    kind: events
    records:
      status: {rejected: lost}
`
	csv := "id,step,timestamp\n" +
		"a,lead,2025-01-01\n" + "a,deal,2025-01-05\n" +
		"b,lead,2025-01-02\n" + "b,rejected,2025-01-12\n" +
		"c,lead,2025-01-11\n" + // open, 10 days before the latest date
		"d,lead,2025-01-21\n" + "d,rejected,2025-01-21\n"
	tb := mustLoad(t, yaml, map[string]string{"data/events.csv": csv})
	expectValue(t, tb, "2025-01", All, "lead", 4)
	expectValue(t, tb, "2025-01", All, "deal", 1)
	lost, open := tb.Exits("2025-01", All, "deal")
	if !slices.Equal(lost, []float64{0, 10}) || !slices.Equal(open, []float64{10}) {
		t.Errorf("exits: lost %v open %v, want [0 10] and [10]", lost, open)
	}
}
