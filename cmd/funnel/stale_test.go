package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

// Staleness: change a CSV value after accepting the commentary, and check
// names the file, the line, the old and the new value; --fail-on stale
// fails CI on it.
func TestCheckStaleCommentary(t *testing.T) {
	dir := testproject.CopyExample(t)
	expectRun(t, exitOK, []string{"no content/.funnel-cited.json yet: run funnel check --accept"}, "check", "--source", dir)
	expectRun(t, exitUsage, []string{"--fail-on stale needs content/.funnel-cited.json"}, "check", "--source", dir, "--fail-on", "stale")
	expectRun(t, exitOK, []string{"accepted 12 cited value(s)"}, "check", "--source", dir, "--accept")
	expectRun(t, exitOK, []string{"12 value(s) cited, 0 changed"}, "check", "--source", dir, "--fail-on", "stale")

	// One more deal for web in the Centre in 2025-Q3: 19 → 20 web deals of
	// 254 proposals (python3: 19/254 = 7.48%, 20/254 = 7.87%).
	name := filepath.Join(dir, "data", "funnel.csv")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	csv := strings.Replace(string(b), "2025-Q3,web,Центр,6884,189,128,10,", "2025-Q3,web,Центр,6884,189,128,11,", 1)
	if csv == string(b) {
		t.Fatal("the example's data changed: fix the test's row")
	}
	if err = os.WriteFile(name, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	expectRun(t, exitOK, []string{
		"warning: content/periods/2025-Q3.md:13 cites conversion 7,5% — now 7,9%",
		"warning: content/periods/2025-Q3.md:16 cites conversion chart, Сделки · Количество: 19 — now 20",
	}, "check", "--source", dir)
	expectRun(t, exitCheck, []string{"fail stale: content/periods/2025-Q3.md:13 cites conversion 7,5% — now 7,9%"},
		"check", "--source", dir, "-q", "--fail-on", "stale")
	// Accepting makes the new numbers the cited ones.
	expectRun(t, exitOK, nil, "check", "--source", dir, "--accept", "-q")
	expectRun(t, exitOK, []string{"0 changed"}, "check", "--source", dir, "--fail-on", "stale")
}
