package dataset

import (
	"strings"
	"testing"
)

// leadsYAML maps the dialect fixtures (testdata/dialects, written by
// make_fixtures.py) to a three-step funnel.
const leadsYAML = `
language: en
steps:
  - {id: leads}
  - {id: proposals}
  - {id: deals}
metrics:
  - {id: deal_value, unit: money}
deal_value: deal_value
segments: [channel, region]
sources:
  - path: data/leads.csv
    kind: records
    records:
      id: lead_id
      steps: {leads: created, proposals: proposal, deals: won}
      value: amount
`

// TestPlainLeads checks the reference fixture against numbers counted by
// hand from make_fixtures.py's LEADS (cohort = month of "created"):
//
//	Jan: L01–L04 → leads 4; proposals L01 L02 L04 = 3; deals L01 L04 = 2
//	Feb: L05–L07 → leads 3; proposals L05 (implied by its deal) L06 L07 = 3; deals L05 L07 = 2
//	Mar: L08–L10 → leads 3; proposals L09 L10 = 2; deals L10 = 1
func TestPlainLeads(t *testing.T) {
	tb := mustLoad(t, leadsYAML, map[string]string{"data/leads.csv": readFixture(t, "dialects/plain.csv")})
	want := map[string][3]float64{"2025-01": {4, 3, 2}, "2025-02": {3, 3, 2}, "2025-03": {3, 2, 1}}
	for p, w := range want {
		expectValue(t, tb, p, All, "leads", w[0])
		expectValue(t, tb, p, All, "proposals", w[1])
		expectValue(t, tb, p, All, "deals", w[2])
	}
	if got := strings.Join(tb.Periods, " "); got != "2025-01 2025-02 2025-03" {
		t.Errorf("periods %q", got)
	}
	// Jan web: L01, L02 → 2 leads, 2 proposals, 1 deal. Feb Урал: L05 L06 L07.
	expectValue(t, tb, "2025-01", seg("channel", "web"), "leads", 2)
	expectValue(t, tb, "2025-01", seg("channel", "web"), "proposals", 2)
	expectValue(t, tb, "2025-01", seg("channel", "web"), "deals", 1)
	expectValue(t, tb, "2025-02", seg("region", "Урал"), "leads", 3)
	expectValue(t, tb, "2025-02", seg("region", "Урал"), "deals", 2)
	// A step nobody reached is a zero, not a missing value.
	expectValue(t, tb, "2025-03", seg("channel", "web"), "proposals", 1)
	expectValue(t, tb, "2025-03", seg("region", "Урал"), "leads", 0) // no Урал lead in March: a zero
	// Durations, days from the previous step: Jan proposals L01 4, L02 8,
	// L04 3; Jan deals L01 Jan 9 → Feb 1 = 23, L04 Feb 3 → Feb 14 15:30 =
	// 11 + 15.5/24. L05's deal has no proposal date: no duration.
	expectDurations(t, tb, "2025-01", All, "proposals", 3, 4, 8)
	expectDurations(t, tb, "2025-01", All, "deals", 11+15.5/24, 23)
	expectDurations(t, tb, "2025-02", All, "deals", 32)
	expectDurations(t, tb, "2025-02", All, "proposals", 1, 6)
	expectDurations(t, tb, "2025-03", seg("channel", "web"), "deals", 28)
	// Mean won amount: Jan (1200.5 + 15000)/2, Feb (2500 + 1234567.25)/2, Mar 999.99.
	expectValue(t, tb, "2025-01", All, "deal_value", 8100.25)
	expectValue(t, tb, "2025-02", All, "deal_value", 618533.625)
	expectValue(t, tb, "2025-03", All, "deal_value", 999.99)
	expectValue(t, tb, "2025-01", seg("region", "Сибирь"), "deal_value", 15000)
	if tb.Leads != 10 || tb.Rows != 10 || tb.Files != 1 {
		t.Errorf("leads %d rows %d files %d, want 10 10 1", tb.Leads, tb.Rows, tb.Files)
	}
}

// TestDialectsLoadAlike loads each way of saving the same export and
// compares everything with the plain UTF-8 file.
func TestDialectsLoadAlike(t *testing.T) {
	plain := dump(mustLoad(t, leadsYAML, map[string]string{"data/leads.csv": readFixture(t, "dialects/plain.csv")}))
	for _, tc := range []struct {
		file  string
		extra string // source keys added to the config
	}{
		{"semicolon.csv", ""},                    // ; and DD.MM.YYYY, 1 234,50
		{"tab.tsv", ""},                          // tab
		{"bom.csv", ""},                          // UTF-8 BOM, CRLF
		{"cp1251.csv", ""},                       // Windows-1251 detected
		{"cp1251.csv", "encoding: windows-1251"}, // … and configured
		{"semicolon.csv", "delimiter: \";\""},    // delimiter configured
		{"tab.tsv", `delimiter: '\t'`},           // tab written as \t
		{"thousands_nbsp.csv", ""},               // NBSP thousands, DD-MM-YYYY HH:MM
		{"thousands_apostrophe.csv", ""},         // 1'234'567.25
		{"thousands_english.csv", ""},            // "1,234,567.25", M/D/YYYY h:mm PM
		{"thousands_english.csv", "records: {date_format: M/D/YYYY}"},
		{"dates_isoT.csv", ""}, // 2025-02-14T15:30:00
	} {
		t.Run(tc.file+" "+tc.extra, func(t *testing.T) {
			yaml := leadsYAML
			if tc.extra != "" {
				if strings.HasPrefix(tc.extra, "records:") {
					yaml = strings.Replace(yaml, "      value: amount", "      value: amount\n      date_format: M/D/YYYY", 1)
				} else {
					yaml += "    " + tc.extra + "\n"
				}
			}
			got := dump(mustLoad(t, yaml, map[string]string{"data/leads.csv": readFixture(t, "dialects/"+tc.file)}))
			if got != plain {
				t.Errorf("differs from plain.csv:\n%s\n--- plain:\n%s", got, plain)
			}
		})
	}
}

// TestSnapshotDialects: the same snapshot, long and wide, plain UTF-8 and
// as Russian Excel saves it (Windows-1251, ';', NBSP thousands, decimal
// comma, "18,5%", a quoted newline, CRLF), and wide with BOM, tabs and a
// bare 18,5 for a percent metric, loads to the same numbers.
func TestSnapshotDialects(t *testing.T) {
	const yaml = `
steps: [{id: visits}]
metrics: [{id: conversion, unit: percent}]
segments: [channel]
`
	load := func(file string) *Table {
		t.Helper()
		return mustLoad(t, yaml, map[string]string{"data/s.csv": readFixture(t, "dialects/"+file)})
	}
	plain := load("snapshot_plain.csv")
	// By hand: Q1 visits 12345 + 2345 (counts are whole) (summed over channels, no total row).
	expectValue(t, plain, "2025-Q1", All, "visits", 14690)
	expectValue(t, plain, "2025-Q1", seg("channel", "сайт"), "conversion", 0.185)
	expectValue(t, plain, "2025-Q2", seg("channel", "партнёры"), "conversion", 0.25)
	want := dump(plain)
	for _, f := range []string{"snapshot_excel_ru.csv", "snapshot_wide_bom.tsv"} {
		if got := dump(load(f)); got != want {
			t.Errorf("%s differs from snapshot_plain.csv:\n%s\n--- plain:\n%s", f, got, want)
		}
	}
}

// Excel's "sep=;" first line names the delimiter; lines still count it.
func TestExcelSepLine(t *testing.T) {
	plain := dump(mustLoad(t, leadsYAML, map[string]string{"data/leads.csv": readFixture(t, "dialects/plain.csv")}))
	semi := readFixture(t, "dialects/semicolon.csv")
	got := dump(mustLoad(t, leadsYAML, map[string]string{"data/leads.csv": "sep=;\r\n" + semi}))
	if got != plain {
		t.Errorf("sep=; file differs from plain.csv:\n%s", got)
	}
	bad := strings.Replace(semi, "05.01.2025", "05.01.2O25", 1) // a letter O: line 2 of the export, line 3 of the file
	expectLoadError(t, leadsYAML, map[string]string{"data/leads.csv": "sep=;\n" + bad},
		`data/leads.csv:3:5: column "created": not a date`)
}

// Encoding detection reads the first 64 KB: a Windows-1251 cell further
// down is an error pointing at encoding:, not garbage text; configured,
// the same file loads.
func TestLateWindows1251(t *testing.T) {
	var b strings.Builder
	b.WriteString("lead_id,created,proposal,won,channel,region,amount,note\n")
	for b.Len() < 70<<10 {
		b.WriteString("L00,2025-01-05,,,web,Ural,,\n")
	}
	b.WriteString("L99,2025-01-06,,,web,\xd3\xf0\xe0\xeb,,\n") // «Урал» in Windows-1251
	files := map[string]string{"data/leads.csv": b.String()}
	expectLoadError(t, leadsYAML, files, `column "region": invalid UTF-8`, `set encoding: windows-1251`)
	tb := mustLoad(t, leadsYAML+"    encoding: windows-1251\n", files)
	expectValue(t, tb, "2025-01", seg("region", "Урал"), "leads", 1)
}
