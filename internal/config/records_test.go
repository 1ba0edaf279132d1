package config

import (
	"strings"
	"testing"
)

// expectConfigError checks that parsing fails with every wanted fragment.
func expectConfigError(t *testing.T, yaml string, want ...string) {
	t.Helper()
	_, err := Parse("funnel.yaml", []byte(yaml))
	if err == nil {
		t.Fatalf("parsed, want an error with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func TestRecordsStepOrderAndDefaults(t *testing.T) {
	c, err := Parse("funnel.yaml", []byte(`
metrics: [{id: deal_value, unit: money}]
sources:
  - path: data/x.csv
    kind: records
    records:
      steps:
        zeta: z_date
        alpha: a_date
        mid: ~
      status_column: s
      status: {Won: mid}
      value: amount
  - path: data/e.csv
    kind: events
    records:
      steps: {first: ~, second: ~}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Sources[0].Records
	var order []string
	for _, s := range r.Steps {
		order = append(order, s.Step+"="+s.Column)
	}
	// Document order, not map order; ~ is no column.
	if got := strings.Join(order, " "); got != "zeta=z_date alpha=a_date mid=" {
		t.Errorf("steps %q", got)
	}
	if r.PeriodBy != "cohort" || r.Granularity != "month" || r.ValueMetric != "deal_value" {
		t.Errorf("defaults: period_by %q granularity %q value_metric %q", r.PeriodBy, r.Granularity, r.ValueMetric)
	}
	steps, err := c.RecordSteps("events", c.Sources[1].Records)
	if err != nil || strings.Join(steps, " ") != "first second" {
		t.Errorf("event steps %v, %v", steps, err)
	}
}

func TestRecordsConfigErrors(t *testing.T) {
	src := func(body string) string {
		return "steps: [{id: leads}, {id: deals}]\nsources:\n  - path: data/x.csv\n    kind: records\n    records:\n" + body
	}
	expectConfigError(t, src("      steps: {leads: a}\n      colour: red\n"), `funnel.yaml:7:7: unknown key "colour" in records`)
	expectConfigError(t, src("      steps: {leads: a}\n      join: {path: d.csv, key: id}\n"), `funnel.yaml:7:27: unknown key "key" in join`)
	expectConfigError(t, src("      steps: {leads: a, leads: b}\n"), `step "leads" listed twice`)
	expectConfigError(t, src("      steps: [leads]\n"), `want a mapping step: date column`)
	expectConfigError(t, src("      steps: {leads: a}\n      granularity: day\n"), `granularity "day": want month, quarter, week, year`)
	expectConfigError(t, src("      steps: {leads: a}\n      period_by: won\n"), `period_by "won": want cohort or event`)
	expectConfigError(t, src("      steps: {leads: a, proposals: b}\n"), `step "proposals" is not among the steps of funnel.yaml`)
	expectConfigError(t, "sources:\n  - path: x.csv\n    kind: records\n    records: {steps: {leads: a}, status_column: s, status: {Won: deals}}\n",
		`status "Won" maps to step "deals", which is not in records steps`)
	expectConfigError(t, src("      steps: {leads: a}\n      join: {path: d.csv}\n"), `join needs the id column`)
	expectConfigError(t, src("      steps: {leads: a}\n      value: amount\n"), `value "amount" feeds metric "deal_value": declare it under metrics: with unit money`)
	expectConfigError(t, "sources:\n  - {path: x.csv, kind: records}\n", `kind records needs a records: mapping`)
	expectConfigError(t, "sources:\n  - {path: x.csv, kind: events}\n", `an event log needs the step order`)
	expectConfigError(t, "sources:\n  - {path: x.csv, records: {id: a}}\n", `records: only for kind records or events`)
}

// "lost" is a status target of its own; lost_date needs a status mapped
// to it, and only records have one.
func TestRecordsLost(t *testing.T) {
	const base = `
sources:
  - path: data/x.csv
    kind: records
    records:
      steps: {engaged: e, won: c}
      status_column: s
      status: {Won: won, Lost: %s}
      lost_date: c
`
	c, err := Parse("funnel.yaml", []byte(strings.Replace(base, "%s", "lost", 1)))
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := c.RecordSteps("records", c.Sources[0].Records)
	if strings.Join(steps, ",") != "engaged,won" || !c.IsLost("lost", steps) {
		t.Errorf("steps %v: lost is not a step", steps)
	}
	expectConfigError(t, strings.Replace(base, "%s", "engaged", 1), `lost_date "c" dates lost leads, but no status maps to lost`)
	expectConfigError(t, `
steps: [{id: a}, {id: b}]
sources:
  - path: data/e.csv
    kind: events
    records: {status: {x: lost}, lost_date: t}
`, "lost_date is for kind records")
}
