package main

import (
	"strings"
	"testing"
)

// TestCheckListsRecordCountsAndWarnings: on the olist example, check
// reports the leads counted and the one deal won before its first contact
// (closed_deals.csv line 669) as a warning, and still exits 0.
func TestCheckListsRecordCountsAndWarnings(t *testing.T) {
	code, out, errs := runCLI(t, "check", "--source", "../../examples/olist")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"records:  8000 counted, 0 left out",
		"warnings: 1",
		`data/closed_deals.csv:669: column "won_date": step "won" is dated before step "mql"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
