package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

// TestTrendShowsReferenceWithoutTarget: with no target configured, the
// trends chart of a transition draws the analysis reference per period
// (here: the pooled rate of the previous periods), not nothing.
func TestTrendShowsReferenceWithoutTarget(t *testing.T) {
	src := testproject.Write(t, `
-- funnel.yaml --
language: en
steps:
  - {id: leads, name: Leads}
  - {id: deals, name: Deals}
-- data/f.csv --
period,leads,deals
2025-Q1,100,30
2025-Q2,100,20
2025-Q3,100,25
`)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCLI(t, "build", "--source", src, "--out", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "trends", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// References: Q1 none (no history), Q2 30/100 = 0.3, Q3 the pooled
	// (30 + 20)/200 = 0.25 — not the best earlier rate.
	// (go-echarts writes a missing point as {}, a gap in the line.)
	// A series' keys come in go-echarts' order: name, type, …, data.
	if !regexp.MustCompile(`"name":"Reference","type":"line"[^\]]*"data":\[\{\},\{"value":0.3\},\{"value":0.25\}\]`).Match(page) {
		t.Errorf("trends page lacks the reference series null, 0.3, 0.25")
	}
}
