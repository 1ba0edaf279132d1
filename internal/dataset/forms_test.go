package dataset

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/funnel-report/funnel/internal/config"
)

func loadMap(t *testing.T, cfgYAML string, files map[string]string) *Table {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	cfg, err := config.Parse("funnel.yaml", []byte(cfgYAML))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestLongAndWideFormsAgree: the same numbers as a wide file (comma,
// cross rows channel × region, no totals) and as a long file (semicolon,
// BOM, decimal comma, explicit single-dimension rows) give the same table.
func TestLongAndWideFormsAgree(t *testing.T) {
	const cfg = "segments: [channel, region]\nmetrics:\n  - {id: csat, unit: score5}\n"
	wide := loadMap(t, cfg, map[string]string{"data/w.csv": `period,channel,region,visits,deals,csat
2025-Q1,web,Урал,600,6,
2025-Q1,web,Центр,400,4,
2025-Q1,fairs,Урал,100,5,
2025-Q1,,,,,4.5
`})
	long := loadMap(t, cfg, map[string]string{"data/l.csv": "\ufeffperiod;channel;region;metric;value\n" +
		"2025-Q1;web;;visits;1 000\n2025-Q1;fairs;;visits;100\n" +
		"2025-Q1;;Урал;visits;700\n2025-Q1;;Центр;visits;400\n" +
		"2025-Q1;web;;deals;10\n2025-Q1;fairs;;deals;5\n2025-Q1;;Урал;deals;11\n2025-Q1;;Центр;deals;4\n" +
		"2025-Q1;;;csat;4,5\n"})
	for _, tab := range []*Table{wide, long} {
		// web = 600 + 400; Урал = 600 + 100; all = web + fairs = 1000 + 100.
		expectValue(t, tab, "2025-Q1", Segment{"channel", "web"}, "visits", 1000)
		expectValue(t, tab, "2025-Q1", Segment{"region", "Урал"}, "visits", 700)
		expectValue(t, tab, "2025-Q1", All, "visits", 1100)
		// deals: all = 6 + 4 + 5 = 15.
		expectValue(t, tab, "2025-Q1", All, "deals", 15)
		expectValue(t, tab, "2025-Q1", Segment{"region", "Центр"}, "deals", 4)
		// A score is never summed: only the explicit total exists.
		expectValue(t, tab, "2025-Q1", All, "csat", 4.5)
		if _, ok := tab.Value("2025-Q1", Segment{"channel", "web"}, "csat"); ok {
			t.Error("csat for web must be absent, not summed")
		}
	}
}

// TestExampleRollup checks the worked example's totals, which are sums of
// channel × region rows. Expected values by awk over data/funnel.csv:
//
//	awk -F, '$1=="2025-Q4"{for(i=4;i<=10;i++)s[i]+=$i} END{...}'  → 26672 1104 775 143 130 52 13
//	… && $2=="web"  → 14431 433 288 40 37 14 3
//	… && $3=="Урал" → 7882 336 235 41 37 14 4
func TestExampleRollup(t *testing.T) {
	cfg, err := config.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Load(osDirFS("../.."), cfg)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"site_visits", "quote_requests", "proposals", "deals", "delivered_on_time", "repeat_purchases", "referrals"}
	for seg, want := range map[Segment][]float64{
		All:                {26672, 1104, 775, 143, 130, 52, 13},
		{"channel", "web"}: {14431, 433, 288, 40, 37, 14, 3},
		{"region", "Урал"}: {7882, 336, 235, 41, 37, 14, 4},
	} {
		for i, s := range steps {
			expectValue(t, tab, "2025-Q4", seg, s, want[i])
		}
	}
	// From the ';' decimal-comma file: 2025-Q4;web;;response_hours;5,1.
	expectValue(t, tab, "2025-Q4", Segment{"channel", "web"}, "response_hours", 5.1)
	if _, ok := tab.Value("2024-Q1", All, "referrals"); ok {
		t.Error("referrals were not measured in 2024-Q1 and must stay absent")
	}
	if got := len(tab.Periods); got != 8 || tab.Periods[0] != "2024-Q1" || tab.Periods[7] != "2025-Q4" {
		t.Errorf("periods = %v", tab.Periods)
	}
}

func osDirFS(dir string) fs.FS { return os.DirFS(dir) }

func TestWeek53OnlyInLongYears(t *testing.T) {
	// 2020 has 53 ISO weeks (it starts on a Wednesday and is a leap year);
	// 2025 has 52.
	tab := loadMap(t, "", map[string]string{"data/w.csv": "period,visits\n2020-W53,5\n"})
	expectValue(t, tab, "2020-W53", All, "visits", 5)
	expectLoadError(t, "", map[string]string{"data/w.csv": "period,visits\n2025-W52,5\n2025-W53,5\n"},
		`data/w.csv:3:1: column "period": 2025 has 52 ISO weeks: no week 53 (value "2025-W53")`)
	expectLoadError(t, "", map[string]string{"data/l.csv": "period,metric,value\n2025-W53,visits,5\n"},
		`data/l.csv:2:1: column "period": 2025 has 52 ISO weeks`)
}
