package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

// TestSegmentNames: funnel.yaml's segment_names name a dimension on the
// pages (navigation, segment pages) instead of its CSV column.
func TestSegmentNames(t *testing.T) {
	src := testproject.Write(t, `
-- funnel.yaml --
language: ru
segments: [mgr]
segment_names: {mgr: Менеджер}
steps:
  - {id: leads, name: Лиды}
  - {id: deals, name: Сделки, target: 50%}
-- data/f.csv --
period,mgr,leads,deals
2025-Q1,Иванова,100,30
2025-Q1,Петров,100,10
2025-Q2,Иванова,100,32
2025-Q2,Петров,100,8
`)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCLI(t, "build", "--source", src, "--out", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(home), "Менеджер") {
		t.Error("the home page does not name the dimension Менеджер")
	}
	if strings.Contains(string(home), ">mgr<") || strings.Contains(string(home), "mgr:") {
		t.Error("the home page shows the raw column name mgr")
	}
}
