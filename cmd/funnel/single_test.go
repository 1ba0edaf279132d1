package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

func TestBuildSingleFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	src := testproject.CopyExample(t) // the SVG cache goes into the project
	code, stdout, stderr := runCLI(t, "build", "--source", src, "--single-file", out, "--period", "2025-Q2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2025-Q2") {
		t.Errorf("stdout does not name the period: %s", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Отчёт за II кв. 2025") {
		t.Errorf("the file is not the 2025-Q2 report")
	}
	// A failed build leaves the last good file as it was.
	code, _, stderr = runCLI(t, "build", "--source", src, "--single-file", out, "--period", "1999-Q1")
	if code != exitError || !strings.Contains(stderr, "no such period") {
		t.Errorf("bad period: exit %d, %s", code, stderr)
	}
	after, _ := os.ReadFile(out)
	if string(after) != string(b) {
		t.Errorf("a failed build changed the file")
	}
	if code, _, _ = runCLI(t, "build", "--single-file", out, "--watch"); code != exitUsage {
		t.Errorf("--single-file --watch: exit %d, want %d", code, exitUsage)
	}
}
