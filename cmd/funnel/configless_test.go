package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// In a project without funnel.yaml, funnel check and the home page agree
// on holes: none (they used to say "holes: 0" and six "not measured").
func TestConfiglessHolesAgree(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("period,channel,visits,leads,deals\n")
	for m := 1; m <= 12; m++ {
		for _, ch := range []string{"web", "partners"} {
			fmt.Fprintf(&b, "2025-%02d,%s,%d,%d,%d\n", m, ch, 1000+m, 100+m, 30+m)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "x.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	expectRun(t, exitOK, []string{"holes:    0\n", "segments: channel (2)"}, "check", "--source", dir)
	expectRun(t, exitOK, nil, "build", "-q", "--source", dir)
	home, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(home), "hole-tag"); n != 0 {
		t.Errorf("the home page tags %d stages as not measured; check says no holes", n)
	}
}
