package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `funnel new DIR && funnel build --source DIR` works at once, in both
// languages, and the example's commentary embeds resolve.
func TestNewThenBuild(t *testing.T) {
	tests := []struct {
		lang string
		// Hand computation from scaffold/common/data/funnel.csv, 2025-Q4, all channels:
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

func TestNewLanguageFromLocale(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		env  func(string) string
		want string
	}{
		{env(), "ru"},
		{env("LANG", "en_US.UTF-8"), "en"},
		{env("LANG", "ru_RU.UTF-8"), "ru"},
		{env("LANG", "ru_RU.UTF-8", "LC_MESSAGES", "en_GB.UTF-8"), "en"},
		{env("LANG", "en_US.UTF-8", "LC_MESSAGES", "en_GB", "LC_ALL", "ru_UA.UTF-8"), "ru"},
		{env("LANG", "C.UTF-8"), "en"},
	}
	for _, tc := range cases {
		if got, why := localeLang(tc.env); got != tc.want {
			t.Errorf("got %s (%s), want %s", got, why, tc.want)
		}
	}
	// Through the command: the locale's language lands in funnel.yaml.
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	dir := filepath.Join(t.TempDir(), "p")
	code, out, errs := runCLI(t, "new", dir)
	if code != exitOK || !strings.Contains(out, "language en (from LANG=en_US.UTF-8") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	yaml, err := os.ReadFile(filepath.Join(dir, "funnel.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(yaml), "# yaml-language-server: $schema=funnel.schema.json\n") || !strings.Contains(string(yaml), "\nlanguage: en\n") {
		t.Errorf("funnel.yaml:\n%s", yaml)
	}
	if _, err := os.Stat(filepath.Join(dir, "funnel.schema.json")); err != nil {
		t.Error("no funnel.schema.json beside funnel.yaml")
	}
}

func TestNextHint(t *testing.T) {
	cases := []struct{ goos, exe, dir, want string }{
		{"linux", "funnel", "report", "funnel build --source report && xdg-open report/public/index.html"},
		{"linux", "/home/a b/go/bin/funnel", "my report", "'/home/a b/go/bin/funnel' build --source 'my report' && xdg-open 'my report/public/index.html'"},
		{"darwin", "/usr/local/bin/funnel", "r", "/usr/local/bin/funnel build --source r && open r/public/index.html"},
		{"windows", "funnel", "report", "funnel build --source report, then open " + filepath.Join("report", "public", "index.html") + " in a browser"},
		{"linux", "funnel", "it's", `funnel build --source 'it'\''s' && xdg-open 'it'\''s/public/index.html'`},
	}
	for _, tc := range cases {
		if got := nextHint(tc.goos, tc.exe, tc.dir); got != tc.want {
			t.Errorf("%s %q %q:\n got %s\nwant %s", tc.goos, tc.exe, tc.dir, got, tc.want)
		}
	}
}

// The hint works as written: run it (without the opener) in a shell.
func TestNextHintRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "fun nel")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "my report")
	if out, err := exec.Command(bin, "new", "--lang", "en", dir).CombinedOutput(); err != nil {
		t.Fatalf("new: %v\n%s", err, out)
	}
	hint := nextHint("linux", bin, dir)
	cmd, _, _ := strings.Cut(hint, " && xdg-open ")
	if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Error(err)
	}
}
