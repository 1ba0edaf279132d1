package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// project writes files into a new folder.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestExitCodes checks the CLI contract of docs/design.md §6 through run(): 0 ok,
// 1 build or data error (one "error:" line per problem, naming file and
// line), 2 usage; -q prints nothing on success.
func TestExitCodes(t *testing.T) {
	good := project(t, map[string]string{
		"funnel.yaml":     "segments: [channel]\n",
		"data/funnel.csv": "period,channel,visits,deals\n2025-Q1,web,100,10\n2025-Q2,web,120,9\n",
	})
	bad := project(t, map[string]string{
		"funnel.yaml":     "segments: [channel]\n",
		"data/funnel.csv": "period,channel,visits,deals\n2025-Q1,web,100,10\n2025-Q2,web,12x,9\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring; "-" for empty
		stderrLine string // every stderr line must start with it ("" for no check)
		stderr     string // substring of stderr
	}{
		{"no command", nil, exitUsage, "Usage: funnel", "", ""},
		{"help", []string{"--help"}, exitOK, "Commands:", "", ""},
		{"unknown command", []string{"bulid"}, exitUsage, "-", "", `unknown command "bulid"`},
		{"unknown flag", []string{"build", "--sauce", good}, exitUsage, "-", "", "-sauce"},
		{"stray argument", []string{"build", "extra"}, exitUsage, "-", "", `unexpected argument "extra"`},
		{"build help", []string{"build", "--help"}, exitOK, "-", "", "Usage: funnel build"},
		{"version", []string{"version"}, exitOK, "funnel ", "", ""},
		{"quiet build", []string{"build", "--source", good, "--out", out, "-q"}, exitOK, "-", "", ""},
		{"build", []string{"build", "--source", good, "--out", out}, exitOK, "index.html", "", ""},
		{"bad cell", []string{"build", "--source", bad, "--out", out, "-q"}, exitError, "-", "error: ", `data/funnel.csv:3:13: column "visits"`},
		{"no such period", []string{"build", "--source", good, "--out", out, "--period", "2030-Q1"}, exitError, "-", "error: ", "2030-Q1"},
		{"missing project", []string{"build", "--source", filepath.Join(good, "nope"), "--out", out}, exitError, "-", "error: ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			switch {
			case tc.stdout == "-" && stdout.Len() > 0:
				t.Errorf("stdout should be empty, got %q", stdout.String())
			case tc.stdout != "-" && !strings.Contains(stdout.String(), tc.stdout):
				t.Errorf("stdout lacks %q: %q", tc.stdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q: %q", tc.stderr, stderr.String())
			}
			if tc.stderrLine != "" {
				for _, l := range strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n") {
					if !strings.HasPrefix(l, tc.stderrLine) {
						t.Errorf("stderr line %q does not start with %q", l, tc.stderrLine)
					}
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("the good builds left no site: %v", err)
	}
}
