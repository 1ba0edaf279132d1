package dataset

import (
	"os"
	"testing"

	"github.com/funnel-report/funnel/internal/config"
)

// The olist example project (examples/olist: real data, two CRM exports
// joined on mql_id, dates DD-MM-YYYY and DD-MM-YYYY HH:MM) loads with its
// own funnel.yaml. Expected values were computed independently, from the
// same two files, with Python's csv and datetime:
//
//	import csv, collections, datetime as dt, statistics
//	L = {r['mql_id']: r for r in csv.DictReader(open('marketing_qualified_leads.csv'))}
//	D = {r['mql_id']: r for r in csv.DictReader(open('closed_deals.csv'))}
//	for each lead: c = strptime(first_contact_date, '%d-%m-%Y'); p = c.strftime('%Y-%m')
//	  leads[p] += 1; if id in D: won[p] += 1; days = (strptime(won_date, '%d-%m-%Y %H:%M') - c) / 1 day
//	  (kept when >= 0: one deal, line 669 of closed_deals.csv, is dated before its first contact)
//	print(leads, won, statistics.median(days[p]) ...)
func TestOlist(t *testing.T) {
	const dir = "../../examples/olist"
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Load(os.DirFS(dir), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Files != 2 || tb.Rows != 8000 || tb.Leads != 8000 {
		t.Errorf("files %d rows %d leads %d, want 2 8000 8000", tb.Files, tb.Rows, tb.Leads)
	}
	months := []struct {
		period     string
		leads, won float64
		durations  int     // won leads with a duration (won after first contact)
		median     float64 // median days from first contact to won
	}{
		{"2017-06", 4, 0, 0, 0},
		{"2017-07", 239, 2, 2, 398.7007},
		{"2017-12", 200, 11, 11, 54.5812},
		{"2018-01", 1141, 152, 152, 18.1073},
		{"2018-02", 1028, 149, 149, 16.7174},
		{"2018-03", 1174, 167, 166, 12.8552},
		{"2018-04", 1352, 183, 183, 9.6188},
		{"2018-05", 1303, 130, 130, 10.6924},
	}
	for _, m := range months {
		expectValue(t, tb, m.period, All, "mql", m.leads)
		expectValue(t, tb, m.period, All, "won", m.won)
		ds := tb.Durations(m.period, All, "won")
		if len(ds) != m.durations {
			t.Errorf("%s: %d durations, want %d", m.period, len(ds), m.durations)
			continue
		}
		if len(ds) > 0 {
			if got := median(ds); got < m.median-1e-4 || got > m.median+1e-4 {
				t.Errorf("%s: median days %.4f, want %.4f", m.period, got, m.median)
			}
		}
	}
	if len(tb.Periods) != 12 || tb.Periods[0] != "2017-06" || tb.Periods[11] != "2018-05" {
		t.Errorf("periods %v, want 2017-06 … 2018-05", tb.Periods)
	}
	// By origin: 2018-03 paid_search 262 leads, 39 won, median 15.125 days;
	// 2018-01 organic_search 412 leads, 63 won, median 17.5229 days.
	expectValue(t, tb, "2018-03", seg("origin", "paid_search"), "mql", 262)
	expectValue(t, tb, "2018-03", seg("origin", "paid_search"), "won", 39)
	if got := median(tb.Durations("2018-03", seg("origin", "paid_search"), "won")); got != 15.125 {
		t.Errorf("2018-03 paid_search median days %v, want 15.125", got)
	}
	expectValue(t, tb, "2018-01", seg("origin", "organic_search"), "mql", 412)
	expectValue(t, tb, "2018-01", seg("origin", "organic_search"), "won", 63)
	// Origins ordered by size: organic_search (2,296 leads) first; the 60
	// leads with an empty origin count in the total only.
	if vs := tb.SegmentValues("origin"); len(vs) != 10 || vs[0] != "organic_search" {
		t.Errorf("origins %v, want 10 starting with organic_search", vs)
	}
	// The latest date in either file: max(first contacts + won dates).
	if got := tb.Latest.Format("2006-01-02 15:04"); got != "2018-11-14 18:04" {
		t.Errorf("latest %s, want 2018-11-14 18:04", got)
	}
	if len(tb.Warnings.Errs) != 1 {
		t.Errorf("warnings %v, want the one deal won before its first contact", tb.Warnings.Errs)
	}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
