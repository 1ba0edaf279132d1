package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// example is the worked example at the repository root.
const example = "../.."

func expectRun(t *testing.T, wantCode int, wantOut []string, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(t, args...)
	if code != wantCode {
		t.Fatalf("funnel %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, out, errs)
	}
	for _, w := range wantOut {
		if !strings.Contains(out+errs, w) {
			t.Errorf("funnel %s: output lacks %q\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), w, out, errs)
		}
	}
	return out
}

func TestCheckSummary(t *testing.T) {
	expectRun(t, exitOK, []string{
		// What it found, in the site's words and figures.
		"  Узкое горлышко №1 — «Отправлено КП → Сделки»: конверсия 18,5% при цели 30,0%; при цели шаг «Сделки» получил бы ещё 90 сделок за квартал (≈ 183,5 млн ₽, вероятно от 137,7 млн ₽ до 224,4 млн ₽; последующие конверсии приняты как есть).",
		"config:   funnel.yaml",
		"data:     2 file(s), 144 row(s)",
		"periods:  8 (2024-Q1 … 2025-Q4), checking 2025-Q4",
		"segments: channel (3), region (3)",
		"steps:    7: site_visits, quote_requests, proposals, deals, delivered_on_time, repeat_purchases, referrals",
		"metrics:  6: response_hours",
		"holes:    2",
		"stage_no_data period=2024-Q1 stage=advocacy",
		"stage_no_data period=2024-Q2 stage=advocacy",
	}, "check", "--source", example)
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
		not  []string
	}{
		// 2025-Q4: 775·(0.3 − 143/775) = 89.5 extra deals > 20.
		{"bottleneck above threshold", []string{"--fail-on", "bottleneck>20"}, exitCheck,
			[]string{"fail bottleneck>20: proposals → deals: rate 18,5% against 30,0% (target); extra 89,5 clients"},
			[]string{"deals → delivered_on_time"}},
		{"bottleneck below threshold", []string{"--fail-on", "bottleneck>100"}, exitOK, []string{"ok: 1 rule(s) passed for 2025-Q4"}, nil},
		// deals → delivered_on_time (130 of 143 against 95%) misses its
		// target, but not confidently once the period's tests are
		// controlled for false discoveries: only proposals → deals fires.
		{"any confident bottleneck", []string{"--fail-on", "bottleneck"}, exitCheck, []string{"fail bottleneck: proposals → deals"},
			[]string{"deals → delivered_on_time"}},
		// 89.5 deals × 2 050 783 ₽ = 183 545 078.5 > 1e8.
		{"money", []string{"--fail-on", "money>100000000"}, exitCheck, []string{"value 183,5 млн ₽"}, nil},
		{"money above", []string{"--fail-on", "money>200000000"}, exitOK, nil, nil},
		{"kpi bad", []string{"--fail-on", "kpi=bad"}, exitCheck, []string{"fail kpi=bad: response_hours: 7 against target 4 (bad)"}, []string{"fail kpi=bad: nps"}},
		// nps 37 against 40 is within 10%: only kpi=warn fires for it.
		{"kpi warn", []string{"--fail-on", "kpi=warn"}, exitCheck, []string{"nps: 37 against target 40 (warn)"}, nil},
		// 2025-Q3: web proposals → deals falls 14.3% → 7.5% (one-sided
		// p = 0.0054, but 0.054 after the period's Benjamini–Hochberg
		// family: no confident fall); it is far below its 30% target.
		{"drop in 2025-Q3", []string{"--fail-on", "drop", "--period", "2025-Q3"}, exitCheck,
			[]string{"checking 2025-Q3", "fail drop: channel=web proposals → deals: 7,5%, under half the reference 30,0% (target), p < 0,001"}, nil},
		{"drop in 2025-Q4", []string{"--fail-on", "drop"}, exitCheck, []string{"under half the reference"}, nil},
		{"no fall in 2025-Q4", []string{"--fail-on", "drop=fell"}, exitOK, nil, nil},
		{"no confident fall in 2025-Q3", []string{"--fail-on", "drop=fell", "--period", "2025-Q3"}, exitOK, nil, []string{"under half"}},
		// (11 − 5)·775 = 4650 client-days.
		{"drawn-out above", []string{"--fail-on", "drawn-out>4000"}, exitCheck, []string{"quote_requests → proposals: median 11 days against 5 (max_days); 4650 client-days"}, nil},
		{"drawn-out below", []string{"--fail-on", "drawn-out>5000"}, exitOK, nil, nil},
		// Holes count for the checked period (and the series as a whole):
		// advocacy is measured from 2024-Q3 on.
		{"no hole in the latest period", []string{"--fail-on", "hole"}, exitOK, nil, nil},
		{"hole before the advocacy data", []string{"--fail-on", "hole", "--period", "2024-Q1"}, exitCheck,
			[]string{"fail hole: stage_no_data period=2024-Q1 stage=advocacy"}, nil},
		{"comma-separated and repeated", []string{"--fail-on", "bottleneck>100,drawn-out>5000", "--fail-on", "money>1e9"}, exitOK, []string{"ok: 3 rule(s) passed"}, nil},
		{"quiet prints only what fired", []string{"-q", "--fail-on", "kpi=bad"}, exitCheck, []string{"fail kpi=bad"}, []string{"periods:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := expectRun(t, tc.code, tc.want, append([]string{"check", "--source", example}, tc.args...)...)
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
}

func TestCheckUsageAndDataErrors(t *testing.T) {
	for _, rule := range []string{"foo", "outcomes", "kpi=meh", "drop=big", "drop>3", "bottleneck>x", "bottleneck>-1", "hole=1"} {
		expectRun(t, exitUsage, []string{"rule"}, "check", "--source", example, "--fail-on", rule)
	}
	expectRun(t, exitOK, []string{"--fail-on"}, "check", "--help")
	expectRun(t, exitError, []string{"error: data/: no data folder"}, "check", "--source", t.TempDir())
	expectRun(t, exitError, []string{"error: --period 1999-Q1: no such period"}, "check", "--source", example, "--period", "1999-Q1")
}

func TestExport(t *testing.T) {
	out := expectRun(t, exitOK, nil, "export", "--source", example)
	var doc struct {
		Schema int
		Model  struct{ Latest string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != 1 || doc.Model.Latest != "2025-Q4" {
		t.Errorf("stdout JSON: %v %+v", err, doc)
	}
	if pretty := expectRun(t, exitOK, nil, "export", "--source", example, "--pretty"); !strings.HasPrefix(pretty, "{\n  \"schema\": 1,") {
		t.Errorf("--pretty output starts %q", pretty[:min(len(pretty), 40)])
	}
	out = expectRun(t, exitOK, nil, "export", "--source", example, "--table", "transitions", "--period", "2025-Q1")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// --period 2025-Q1 keeps 5 periods (2024-Q1 … 2025-Q1), in order, one
	// row per transition: 5 periods × 7 segments × 6 transitions.
	periods := map[string]bool{}
	for _, r := range rows[1:] {
		periods[r[0]] = true
	}
	if len(periods) != 5 || len(rows) != 1+5*7*6 || strings.Join(rows[0][:5], ",") != "period,segment,from,to,rate" || rows[len(rows)-1][0] != "2025-Q1" {
		t.Errorf("%d periods, %d rows, header %v, last %v", len(periods), len(rows), rows[0], rows[len(rows)-1])
	}
	names := []string{"funnel.json", "funnel-steps.csv", "funnel-transitions.csv", "funnel-metrics.csv"}
	dir := filepath.Join(t.TempDir(), "out")
	var wrote []string
	for _, n := range names {
		wrote = append(wrote, "wrote "+filepath.Join(dir, n))
	}
	expectRun(t, exitOK, wrote, "export", "--source", example, "--out", dir)
	for _, f := range names {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The written tables are the ones --table prints.
	if data, err := os.ReadFile(filepath.Join(dir, "funnel-metrics.csv")); err != nil ||
		string(data) != expectRun(t, exitOK, nil, "export", "--source", example, "--format", "csv", "--table", "metrics") {
		t.Errorf("funnel-metrics.csv differs from --table metrics (%v)", err)
	}
	csvOnly := filepath.Join(t.TempDir(), "csv")
	expectRun(t, exitOK, []string{"funnel-steps.csv"}, "export", "--source", example, "--out", csvOnly, "--format", "csv")
	if _, err := os.Stat(filepath.Join(csvOnly, "funnel.json")); err == nil {
		t.Error("--format csv --out wrote funnel.json")
	}
	expectRun(t, exitUsage, []string{"pass --out DIR", "--table steps|transitions|metrics"}, "export", "--source", example, "--format", "csv")
	expectRun(t, exitUsage, []string{`--table "funnels"`}, "export", "--source", example, "--table", "funnels")
	expectRun(t, exitUsage, []string{"--table goes with --format csv"}, "export", "--source", example, "--table", "steps", "--format", "json")
	expectRun(t, exitUsage, []string{"--format all needs --out"}, "export", "--source", example, "--format", "all")
	expectRun(t, exitUsage, []string{`--format "xml"`}, "export", "--source", example, "--format", "xml")
	expectRun(t, exitError, []string{"error:"}, "export", "--source", t.TempDir())
}

func TestCommandsListed(t *testing.T) {
	expectRun(t, exitOK, []string{"check ", "export "}, "--help")
}

func TestCheckListsAtMost20Holes(t *testing.T) {
	dir := t.TempDir()
	csvText := "period,a,b,c\n"
	// 25 months where b is never counted but c is: 25 orphan steps, plus
	// b never measured.
	for i := 0; i < 25; i++ {
		csvText += "20" + strconv.Itoa(23+i/12) + "-" + fmt.Sprintf("%02d", i%12+1) + ",100,,10\n"
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "f.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := "steps: [{id: a, stage: awareness}, {id: b, stage: consideration}, {id: c, stage: decision}]\n"
	if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	// Series: purchase, loyalty, advocacy unmeasured + b never measured = 4;
	// per month: consideration without data + orphan c = 2 × 25 = 50.
	out := expectRun(t, exitOK, []string{"holes:    54", "… and 34 more"}, "check", "--source", dir)
	_, holes, _ := strings.Cut(out, "holes:")
	if n := strings.Count(holes, "\n  "); n != 21 {
		t.Errorf("%d indented lines, want 20 holes and the '… more' line:\n%s", n, out)
	}
}
