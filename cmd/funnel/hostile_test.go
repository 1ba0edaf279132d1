package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsPrintEscaped: a CSV value holding terminal escape sequences
// (here one that retitles the window and clears the screen) is printed
// escaped, never raw (issue 11 §10). Labels with control characters are
// refused, so the message quotes the value.
func TestErrorsPrintEscaped(t *testing.T) {
	dir := project(t, map[string]string{
		"funnel.yaml":     "segments: [channel]\n",
		"data/funnel.csv": "period,channel,visits\n2025-Q1,web,100\n2025-Q2,\x1b]0;pwned\x07\x1b[2J,12x\n",
	})
	code, _, stderr := runCLI(t, "build", "--source", dir, "--out", filepath.Join(t.TempDir(), "public"))
	if code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Errorf("raw control characters reached the terminal: %q", stderr)
	}
	if !strings.Contains(stderr, `\x1b]0;pwned\a\x1b[2J`) {
		t.Errorf("the value is not shown escaped:\n%s", stderr)
	}
}

// TestCheckWarnsRemoteImages: commentary images from other hosts break
// the offline promise; `funnel check` warns, naming file and line, and
// still passes (issue 11 §12).
func TestCheckWarnsRemoteImages(t *testing.T) {
	dir := project(t, map[string]string{
		"funnel.yaml":       "segments: [channel]\n",
		"data/funnel.csv":   "period,channel,visits,deals\n2025-Q1,web,100,10\n2025-Q2,web,120,9\n",
		"content/_index.md": "---\ntitle: Home\n---\nIntro.\n\n![logo](static/logo.png) and ![chart](https://cdn.example.com/chart.png)\n",
	})
	code, _, stderr := runCLI(t, "check", "--source", dir)
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitOK, stderr)
	}
	want := "warning: content/_index.md:6: image from another host (https://cdn.example.com/chart.png): the site shows it only online; put the image in static/ and link it by path\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
}
