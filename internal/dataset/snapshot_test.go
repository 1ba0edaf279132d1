package dataset

import (
	"strings"
	"testing"
)

const snapYAML = `
steps: [{id: visits}, {id: requests}]
metrics: [{id: conversion, unit: percent}]
`

// Snapshot problems are listed together, each at its physical line (a
// quoted newline before them shifts lines), with column and value.
func TestSnapshotErrors(t *testing.T) {
	csv := "period,channel,metric,value,note\n" +
		"2025-Q1,web,visits,100,\"a note\nover two lines\"\n" + // lines 2-3
		"2025-Q1,web,requests,1,2k,\n" + // line 4: ragged row
		"2025-Q1,web,requests,1 2k,\n" + // line 5
		"2025-Q1,web,leads,5,\n" + // line 6: unknown metric
		",web,visits,5,\n" + // line 7: empty period
		"2025-Q1,web,visits,7,\n" + // line 8: duplicate of line 2
		"2025-Q1,web,requests,-3,\n" // line 9: negative count
	_, err := loadProject(t, snapYAML, map[string]string{"data/s.csv": csv})
	if err == nil {
		t.Fatal("loaded a broken file")
	}
	// The ragged row stops the file (its columns cannot be trusted); the
	// rest is checked with the row fixed.
	if !strings.Contains(err.Error(), "data/s.csv:4: row has 6 fields, header has 5") {
		t.Errorf("error %v", err)
	}
	csv = strings.Replace(csv, "2025-Q1,web,requests,1,2k,\n", "2025-Q1,web,requests,12,\n", 1)
	expectLoadError(t, snapYAML, map[string]string{"data/s.csv": csv},
		`data/s.csv:5:22: column "value": not a number: expected a number like 1234.5, 1 234,5 or 18% (value "1 2k")`,
		`data/s.csv:6:13: column "metric": unknown metric: funnel.yaml declares visits, requests, conversion (value "leads")`,
		`data/s.csv:7:1: column "period": empty period`,
		`data/s.csv:8: duplicate value for period "2025-Q1", segment channel=web, metric "visits" (first at data/s.csv:2)`,
		`data/s.csv:9:22: column "value": a count cannot be negative (value "-3")`,
	)
}

// Duplicates across files name both files.
func TestSnapshotDuplicateAcrossFiles(t *testing.T) {
	expectLoadError(t, snapYAML, map[string]string{
		"data/a.csv": "period,visits\n2025-Q1,10\n",
		"data/b.csv": "period;metric;value\n\n2025-Q1;visits;11\n",
	}, `data/b.csv:3: duplicate value for period "2025-Q1", segment all, metric "visits" (first at data/a.csv:2)`)
}

// Totals: explicit rows win; absent, counts are summed over the first
// dimension; finer rows (two dimensions set) sum into single segments;
// non-additive metrics are never summed.
const totalsCSV = "period,channel,region,metric,value\n" +
	"2025-Q1,web,Урал,visits,10\n" +
	"2025-Q1,web,Сибирь,visits,5\n" +
	"2025-Q1,mail,Урал,visits,1\n" +
	"2025-Q1,,Урал,visits,12\n" + // explicit single-segment row beats the sum 10+1
	"2025-Q1,web,Урал,conversion,18%\n" +
	"2025-Q2,,,visits,99\n" + // explicit total
	"2025-Q2,web,,visits,40\n"

func TestSnapshotTotals(t *testing.T) {
	tb := mustLoad(t, snapYAML, map[string]string{"data/s.csv": totalsCSV})
	expectValue(t, tb, "2025-Q1", seg("channel", "web"), "visits", 15)  // 10 + 5
	expectValue(t, tb, "2025-Q1", seg("region", "Урал"), "visits", 12)  // explicit
	expectValue(t, tb, "2025-Q1", seg("region", "Сибирь"), "visits", 5) // sum of one row
	expectValue(t, tb, "2025-Q1", All, "visits", 16)                    // over channel: 15 + 1
	expectValue(t, tb, "2025-Q2", All, "visits", 99)                    // explicit total
	expectValue(t, tb, "2025-Q2", seg("channel", "web"), "visits", 40)
	if _, ok := tb.Value("2025-Q1", seg("channel", "web"), "conversion"); ok {
		t.Error("a percent metric was summed from finer rows")
	}
	if got := strings.Join(tb.Periods, " "); got != "2025-Q1 2025-Q2" {
		t.Errorf("periods %q", got)
	}
}

// The value store gives the same values dense (small grids) and sparse
// (large ones), on snapshots with sums over finer rows and on records.
func TestValueStoreSparseIsDense(t *testing.T) {
	projects := []struct {
		yaml  string
		files map[string]string
	}{
		{snapYAML, map[string]string{"data/s.csv": totalsCSV}},
		{leadsYAML, map[string]string{"data/leads.csv": readFixture(t, "dialects/plain.csv")}},
	}
	for i, pr := range projects {
		dense := dump(mustLoad(t, pr.yaml, pr.files))
		saved := maxDenseCells
		maxDenseCells = 0
		sparse := dump(mustLoad(t, pr.yaml, pr.files))
		maxDenseCells = saved
		if dense != sparse || dense == "" {
			t.Errorf("project %d: dense\n%s\nsparse\n%s", i, dense, sparse)
		}
	}
}
