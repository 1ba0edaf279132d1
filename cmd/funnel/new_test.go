package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `funnel new DIR && funnel build --source DIR` works at once, in both
// languages, and the example's commentary embeds resolve.
func TestNewThenBuild(t *testing.T) {
	tests := []struct {
		lang string
		// Hand computation from newCSV, 2025-Q4, all channels:
		// proposals 144+86 = 230, deals 27+27 = 54 → 54/230 = 23.48%.
		want []string
	}{
		{"en", []string{`<html lang="en">`, "Proposal → deal converts at 23.5% against a target of 30.0%.", "8,710 visits gave 54 deals"}},
		{"ru", []string{`<html lang="ru">`, "Переход «КП → сделка» — 23,5% при цели 30,0%.", "посещений — 8710, сделок — 54."}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "report")
			if code, _, stderr := runCLI(t, "new", "--lang", tc.lang, dir); code != exitOK {
				t.Fatalf("new: exit %d: %s", code, stderr)
			}
			for _, f := range []string{"funnel.yaml", "README.md", "data/funnel.csv", "content/_index.md"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("new did not write %s", f)
				}
			}
			if code, _, stderr := runCLI(t, "build", "-q", "--source", dir); code != exitOK {
				t.Fatalf("build: exit %d: %s", code, stderr)
			}
			home, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(home), w) {
					t.Errorf("home lacks %q", w)
				}
			}
			for _, p := range []string{"periods/2025-q4/index.html", "stages/decision/index.html", "method/index.html", "segments/channel/web/index.html"} {
				if _, err := os.Stat(filepath.Join(dir, "public", p)); err != nil {
					t.Errorf("missing page %s", p)
				}
			}
		})
	}
}

func TestNewRefusesAndExplains(t *testing.T) {
	busy := t.TempDir()
	if err := os.WriteFile(filepath.Join(busy, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", busy}, exitError, "is not empty"},
		{[]string{"new"}, exitUsage, "name the folder"},
		{[]string{"new", "--lang", "de", filepath.Join(t.TempDir(), "x")}, exitUsage, `--lang "de": want ru or en`},
		{[]string{"new", "a", "b"}, exitUsage, `unexpected argument "b"`},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(busy, "notes.txt")); string(b) != "mine" {
		t.Error("new touched a non-empty folder")
	}
}
