package dataset

import (
	"errors"
	"strings"
	"testing"
)

const statusYAML = `
steps: [{id: leads}, {id: proposals}, {id: deals}]
sources:
  - path: data/deals.csv
    kind: records
    records:
      status_column: Стадия
      status: {Won: deals, Lost: proposals, Engaging: leads, "КП отправлено": proposals, Spam: ""}
      date: Создана
      segments: [Менеджер]
      granularity: quarter
`

// A status column maps to the furthest step; a later step implies the
// earlier ones; a status mapped to "" drops the row.
func TestStatusRecords(t *testing.T) {
	csv := "Создана;Стадия;Менеджер\n" +
		"03.01.2025;Won;Иванова\n" + // Q1: leads, proposals, deals
		"15.02.2025;Lost;Иванова\n" + // Q1: leads, proposals
		"20.03.2025;Engaging;Петров\n" + // Q1: leads
		"31.03.2025;КП отправлено;Петров\n" + // Q1: leads, proposals
		"01.04.2025;Spam;Петров\n" + // dropped
		"14.05.2025;Won;Петров\n" + // Q2: leads, proposals, deals
		"20.05.2025;;Петров\n" // Q2: no status yet, but created: a lead
	tb := mustLoad(t, statusYAML, map[string]string{"data/deals.csv": csv})
	expectValue(t, tb, "2025-Q1", All, "leads", 4)
	expectValue(t, tb, "2025-Q1", All, "proposals", 3)
	expectValue(t, tb, "2025-Q1", All, "deals", 1)
	expectValue(t, tb, "2025-Q1", seg("Менеджер", "Петров"), "proposals", 1)
	expectValue(t, tb, "2025-Q2", All, "deals", 1)
	expectValue(t, tb, "2025-Q2", All, "leads", 2)
	expectValue(t, tb, "2025-Q2", seg("Менеджер", "Иванова"), "leads", 0)
	if tb.Dropped != 1 || tb.Leads != 6 {
		t.Errorf("dropped %d leads %d, want 1 and 6", tb.Dropped, tb.Leads)
	}
}

// A status export with one dated later step: the entry date dates the
// first step, so the duration runs from it.
func TestStatusWithEntryDate(t *testing.T) {
	yaml := strings.Replace(statusYAML, "      date: Создана", "      date: Создана\n      steps: {leads: ~, proposals: ~, deals: Оплачена}", 1)
	csv := "Создана;Стадия;Менеджер;Оплачена\n" +
		"03.01.2025;Won;Иванова;13.01.2025\n" + // 10 days, but no proposal date: no duration
		"05.01.2025;;Иванова;\n" // a lead
	tb := mustLoad(t, yaml, map[string]string{"data/deals.csv": csv})
	expectValue(t, tb, "2025-Q1", All, "leads", 2)
	expectValue(t, tb, "2025-Q1", All, "deals", 1)
	expectDurations(t, tb, "2025-Q1", All, "deals")
	yaml = strings.Replace(yaml, "proposals: ~, ", "", 1)
	yaml = strings.Replace(yaml, "Lost: proposals, ", "", 1)
	yaml = strings.Replace(yaml, `"КП отправлено": proposals, `, "", 1)
	yaml = strings.Replace(yaml, "{id: proposals}, ", "", 1)
	tb = mustLoad(t, yaml, map[string]string{"data/deals.csv": csv})
	expectDurations(t, tb, "2025-Q1", All, "deals", 10) // Jan 3 → Jan 13, from the entry date
}

const datesYAML = `
steps: [{id: leads}, {id: proposals}, {id: deals}]
sources:
  - path: data/leads.csv
    kind: records
    records:
      steps: {leads: created, proposals: proposal, deals: won}
      period_by: %s
      granularity: %s
`

func datesConfig(periodBy, gran string) string {
	return strings.Replace(strings.Replace(datesYAML, "%s", periodBy, 1), "%s", gran, 1)
}

// By event, each step counts in the period of its own date; an implied
// step (no date) counts in the period of the later step that implies it.
func TestPeriodByEvent(t *testing.T) {
	csv := "created,proposal,won\n" +
		"2025-01-30,2025-02-02,2025-03-05\n" +
		"2025-01-10,,2025-02-20\n" + // proposal implied: February, with the deal
		"2025-02-01,,\n"
	tb := mustLoad(t, datesConfig("event", "month"), map[string]string{"data/leads.csv": csv})
	expectValue(t, tb, "2025-01", All, "leads", 2)
	expectValue(t, tb, "2025-01", All, "proposals", 0)
	expectValue(t, tb, "2025-02", All, "leads", 1)
	expectValue(t, tb, "2025-02", All, "proposals", 2)
	expectValue(t, tb, "2025-02", All, "deals", 1)
	expectValue(t, tb, "2025-03", All, "deals", 1)
	// Feb 2 → Mar 5 = 31 days, in the deal's period.
	expectDurations(t, tb, "2025-03", All, "deals", 31)

	// Shed keeps the durations a build's pages read, and drops the values.
	tb.Shed()
	expectDurations(t, tb, "2025-03", All, "deals", 31)
	if v, ok := tb.Value("2025-02", All, "leads"); ok {
		t.Errorf("after Shed, Value still reports %v", v)
	}
}

func TestGranularity(t *testing.T) {
	csv := "created,proposal,won\n2024-12-30,,\n2025-01-05,,\n2025-12-31,,\n"
	for _, tc := range []struct {
		gran    string
		periods string
	}{
		// 2024-12-30 is in ISO week 1 of 2025; 2025-01-05 is its Sunday;
		// 2025-12-31 is a Wednesday of week 1 of 2026.
		{"week", "2025-W01 2026-W01"},
		{"month", "2024-12 2025-01 2025-12"},
		{"quarter", "2024-Q4 2025-Q1 2025-Q4"},
		{"year", "2024 2025"},
	} {
		tb := mustLoad(t, datesConfig("cohort", tc.gran), map[string]string{"data/leads.csv": csv})
		if got := strings.Join(tb.Periods, " "); got != tc.periods {
			t.Errorf("%s: periods %q, want %q", tc.gran, got, tc.periods)
		}
	}
	tb := mustLoad(t, datesConfig("cohort", "week"), map[string]string{"data/leads.csv": csv})
	expectValue(t, tb, "2025-W01", All, "leads", 2)
}

// Every bad cell is reported with file, line, column, value and what was
// expected, up to MaxErrors, not only the first.
func TestRecordErrors(t *testing.T) {
	csv := "created,proposal,won\n" +
		"2025-01-30,2025-02-02,2025-03-05\n" +
		"2025-01-31,\"note\nspanning lines\",\n" + // line 3: not a date
		",,\n" + // line 5, blank: skipped
		"2025-02-30,,\n" + // line 6: no February 30th
		",2025-02-01,\n" // line 7: no entry date, but a proposal date places it
	expectLoadError(t, datesConfig("cohort", "month"), map[string]string{"data/leads.csv": csv},
		`data/leads.csv:3:12: column "proposal": not a date: expected YYYY-MM-DD (optionally with HH:MM), as the rest of the column (value "note\nspanning lines")`,
		`data/leads.csv:6:1: column "created": not a date: expected YYYY-MM-DD`,
	)
	var many strings.Builder
	many.WriteString("created,proposal,won\n")
	for i := 0; i < 30; i++ {
		many.WriteString("2025-01-01,soon,\n")
	}
	_, err := loadProject(t, datesConfig("cohort", "month"), map[string]string{"data/leads.csv": many.String()})
	var list *ErrorList
	if !errors.As(err, &list) || len(list.Errs) != MaxErrors {
		t.Fatalf("want %d listed errors, got %v", MaxErrors, err)
	}
	var pe *ParseError
	if !errors.As(list.Errs[19], &pe) || pe.Line != 21 || pe.Column != "proposal" || pe.Value != "soon" {
		t.Errorf("20th error %#v, want line 21, column proposal, value soon", list.Errs[19])
	}
}

func TestRecordConfigErrors(t *testing.T) {
	csv := "created,proposal,won,status\n2025-01-01,,,Won\n"
	files := map[string]string{"data/leads.csv": csv}
	expectLoadError(t, strings.Replace(datesConfig("cohort", "month"), "won}", "closed}", 1), files,
		`data/leads.csv:1: column "closed": no such column (the file has "created", "proposal", "won", "status")`)
	expectLoadError(t, strings.Replace(datesConfig("cohort", "month"), "granularity: month", "granularity: month\n      status_column: status\n      status: {Lost: leads}", 1), files,
		`data/leads.csv:2:14: column "status": unknown status: expected one of "Lost" (value "Won")`)
	expectLoadError(t, datesConfig("cohort", "month")+"      date_format: YYYY.DD\n", files,
		`date_format "YYYY.DD"`)
	expectLoadError(t, datesConfig("cohort", "month"), map[string]string{"data/leads.csv": "created,proposal,won\n03/04/2025,,\n05/06/2025,,\n"},
		`data/leads.csv: column "created": dates like "03/04/2025" can be read as DD/MM/YYYY or M/D/YYYY: set date_format`)
}

// Columns whose layout is ambiguous take a decided sibling's layout;
// date_format settles it otherwise.
func TestDateDetectionAcrossColumns(t *testing.T) {
	// Regression: a column empty in the first rows (no deal won yet) used
	// to be settled as ISO before any of its values was seen.
	late := "created,proposal,won\n01.02.2025,,\n01.02.2025,03.02.2025,\n" + strings.Repeat("14.02.2025,,\n", 5) + "14.02.2025,16.02.2025,20.03.2025 10:00\n"
	tb := mustLoad(t, datesConfig("cohort", "month"), map[string]string{"data/leads.csv": late})
	expectValue(t, tb, "2025-02", All, "deals", 1)
	expectDurations(t, tb, "2025-02", All, "deals", 32+10.0/24) // Feb 16 → Mar 20 10:00

	csv := "created,proposal,won\n03/04/2025,04/25/2025,\n"
	tb = mustLoad(t, datesConfig("cohort", "month"), map[string]string{"data/leads.csv": csv})
	expectValue(t, tb, "2025-03", All, "proposals", 1) // M/D/YYYY, from the proposal column
	tb = mustLoad(t, datesConfig("cohort", "month")+"      date_format: DD/MM/YYYY\n",
		map[string]string{"data/leads.csv": "created,proposal,won\n03/04/2025,,\n"})
	expectValue(t, tb, "2025-04", All, "leads", 1)
}

const joinYAML = `
steps: [{id: mql}, {id: won}]
metrics: [{id: avg_deal, unit: money}]
sources:
  - path: data/leads.csv
    kind: records
    records:
      id: id
      steps: {mql: first_contact, won: won_date}
      segments: [origin, segment]
      value: revenue
      value_metric: avg_deal
      join: {path: data/deals.csv, id: mql_id}
`

// Two files joined on an id: columns come from either; a joined row's
// problems are reported at its own file and line; joined rows that match
// no lead are a warning.
func TestJoin(t *testing.T) {
	leads := "id,first_contact,origin\na,05-01-2025,web\nb,06-01-2025,mail\nc,20-01-2025,web\n"
	deals := "mql_id,won_date,segment,revenue\nc,01-02-2025 10:00,pets,\"1 000,5\"\na,15-01-2025 12:00,cars,2000\nz,01-01-2025,cars,1\n"
	tb := mustLoad(t, joinYAML, map[string]string{"data/leads.csv": leads, "data/deals.csv": deals})
	expectValue(t, tb, "2025-01", All, "mql", 3)
	expectValue(t, tb, "2025-01", All, "won", 2)
	expectValue(t, tb, "2025-01", seg("origin", "web"), "won", 2)
	expectValue(t, tb, "2025-01", seg("segment", "pets"), "mql", 1)
	expectValue(t, tb, "2025-01", All, "avg_deal", 1500.25) // (1000.5 + 2000) / 2
	// a: Jan 5 → Jan 15 12:00 = 10.5 days; c: Jan 20 → Feb 1 10:00 = 12 + 10/24.
	expectDurations(t, tb, "2025-01", All, "won", 10.5, 12+10.0/24)
	if len(tb.Warnings.Errs) != 1 || !strings.Contains(tb.Warnings.Errs[0].Error(), `data/deals.csv:4: column "mql_id": 1 joined rows match no row of data/leads.csv`) {
		t.Errorf("warnings %v", tb.Warnings.Errs)
	}
	if tb.Files != 2 {
		t.Errorf("files %d, want 2", tb.Files)
	}
	expectLoadError(t, joinYAML, map[string]string{"data/leads.csv": leads, "data/deals.csv": deals + "a,01-03-2025,cars,x\n"},
		`data/deals.csv:5:1: column "mql_id": duplicate id (first at line 3)`)
	expectLoadError(t, joinYAML, map[string]string{"data/leads.csv": leads, "data/deals.csv": strings.Replace(deals, "2000", "2k", 1)},
		`data/deals.csv:3: column "revenue": not a number: expected an amount like 1234.5 or 1 234,5 (value "2k")`)
}

const eventsYAML = `
steps: [{id: request}, {id: proposal}, {id: deal}]
sources:
  - path: data/events.csv
    kind: events
    records:
      segments: [channel]
      status: {КП: proposal, Сделка: deal, Заявка: request, Звонок: ""}
`

// An event log counts each id once per step, at the first occurrence.
func TestEvents(t *testing.T) {
	log := "lead_id;step;timestamp;channel\n" +
		"1;Заявка;10.03.2025 09:00;web\n" +
		"1;КП;12.03.2025 09:00;\n" +
		"1;КП;14.03.2025 09:00;\n" + // repeat: the first counts
		"1;Сделка;20.03.2025 21:00;\n" +
		"2;Заявка;28.03.2025;mail\n" +
		"2;Звонок;29.03.2025;mail\n" + // mapped to no step
		"3;Сделка;02.04.2025;web\n" + // implies request and proposal
		"2;КП;01.04.2025;mail\n"
	tb := mustLoad(t, eventsYAML, map[string]string{"data/events.csv": log})
	expectValue(t, tb, "2025-03", All, "request", 2)
	expectValue(t, tb, "2025-03", All, "proposal", 2)
	expectValue(t, tb, "2025-03", All, "deal", 1)
	expectValue(t, tb, "2025-04", seg("channel", "web"), "proposal", 1)
	// id 1: 2 days to the proposal, 8.5 to the deal; id 2: 4 days (Mar 28 → Apr 1).
	expectDurations(t, tb, "2025-03", All, "proposal", 2, 4)
	expectDurations(t, tb, "2025-03", seg("channel", "web"), "deal", 8.5)
	if tb.Leads != 3 || tb.Rows != 8 {
		t.Errorf("leads %d rows %d, want 3 and 8", tb.Leads, tb.Rows)
	}
	expectLoadError(t, eventsYAML, map[string]string{"data/events.csv": log + "4;Оплата;01.04.2025;web\n5;КП;1 апреля;web\n"},
		`data/events.csv:10:3: column "step": unknown step: expected one of "request", "proposal", "deal", "Заявка", "Звонок", "КП", "Сделка" (value "Оплата")`,
		`data/events.csv:11:8: column "timestamp": not a date: expected DD.MM.YYYY (optionally with HH:MM) (value "1 апреля")`)
}

// Monthly exports matched by one glob merge into one source: the same
// numbers as one file (a per-file flush used to collide as duplicates).
func TestRecordsAcrossFiles(t *testing.T) {
	plain := readFixture(t, "dialects/plain.csv")
	whole := dump(mustLoad(t, leadsYAML, map[string]string{"data/leads.csv": plain}))
	lines := strings.SplitAfter(plain, "\n")
	header, first, second := lines[0], strings.Join(lines[1:7], ""), strings.Join(lines[7:], "")
	if !strings.HasPrefix(second, "L06,") {
		t.Fatalf("fixture changed: second part starts %q", second[:10])
	}
	yaml := strings.Replace(leadsYAML, "path: data/leads.csv", "path: data/leads-*.csv", 1)
	tb := mustLoad(t, yaml, map[string]string{
		"data/leads-1.csv": header + first,
		"data/leads-2.csv": strings.ReplaceAll(header, ",", ";") + strings.ReplaceAll(second, ",", ";"), // another dialect, too
	})
	if got := dump(tb); got != whole {
		t.Errorf("split files differ from one file:\n%s\n--- one file:\n%s", got, whole)
	}
	if tb.Files != 2 || tb.Rows != 10 {
		t.Errorf("files %d rows %d, want 2 and 10", tb.Files, tb.Rows)
	}
}

// An event log split over files: an id's first occurrence is the earliest
// over all of them.
func TestEventsAcrossFiles(t *testing.T) {
	yaml := strings.Replace(eventsYAML, "path: data/events.csv", "path: data/events-*.csv", 1)
	tb := mustLoad(t, yaml, map[string]string{
		"data/events-1.csv": "lead_id;step;timestamp;channel\n1;КП;14.03.2025 09:00;web\n",
		"data/events-2.csv": "lead_id;step;timestamp;channel\n1;Заявка;10.03.2025 09:00;web\n1;КП;12.03.2025 09:00;web\n",
	})
	expectValue(t, tb, "2025-03", All, "proposal", 1)
	expectDurations(t, tb, "2025-03", All, "proposal", 2) // Mar 10 → Mar 12, not Mar 14
}
