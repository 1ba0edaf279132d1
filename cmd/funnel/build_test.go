package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/funnel-report/funnel/internal/assets"
	"github.com/funnel-report/funnel/internal/testproject"
)

// buildOK builds a project and fails the test unless it succeeds.
func buildOK(t *testing.T, src, out string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, "build", "--source", src, "--out", out)
	if code != 0 {
		t.Fatalf("build %s: exit %d\nstdout: %s\nstderr: %s", src, code, stdout, stderr)
	}
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildExampleIsOfflineAndRelative(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildOK(t, testproject.Root(t), out)
	files := readTree(t, out)
	for _, want := range []string{"index.html", "periods/2025-q4/index.html", "periods/2024-q1/index.html", "assets/echarts.min.js", "assets/site.css", "assets/site.js"} {
		if _, ok := files[want]; !ok {
			t.Errorf("missing %s", want)
		}
	}
	echarts := 0
	script, err := assets.ECharts()
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"]*)"`)
	for name, b := range files {
		if bytes.Equal(b, script) {
			echarts++
		}
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range ref.FindAllSubmatch(b, -1) {
			u := string(m[1])
			if strings.HasPrefix(u, "http:") || strings.HasPrefix(u, "https:") || strings.HasPrefix(u, "//") {
				t.Errorf("%s: network reference %q: the site must work offline", name, u)
				continue
			}
			if strings.HasPrefix(u, "#") || strings.HasPrefix(u, "data:") {
				continue
			}
			if strings.HasPrefix(u, "/") {
				t.Errorf("%s: absolute link %q breaks file:// and subpaths", name, u)
				continue
			}
			target := filepath.ToSlash(filepath.Join(filepath.Dir(name), strings.SplitN(u, "#", 2)[0]))
			if _, ok := files[target]; !ok {
				t.Errorf("%s: link %q points to no file (%s)", name, u, target)
			}
			if !strings.Contains(u, ".") {
				t.Errorf("%s: link %q does not name a file (index.html) and fails from file://", name, u)
			}
		}
	}
	if echarts != 1 {
		t.Errorf("ECharts script found %d times in the site, want exactly once", echarts)
	}
}

const goodProject = `
-- funnel.yaml --
title: Test
language: en
steps:
  - {id: visits, name: Visits}
  - {id: requests, name: Requests}
  - {id: deals, name: Deals}
-- data/funnel.csv --
period,channel,visits,requests,deals
2025-Q1,web,1000,50,10
2025-Q1,fairs,200,40,12
2025-Q2,web,1100,55,11
2025-Q2,fairs,210,42,12
`

// TestBadInputKeepsLastGoodSite: each bad input gives one clear error
// naming file, line and column, exits 1, and leaves public/ as it was.
func TestBadInputKeepsLastGoodSite(t *testing.T) {
	cases := []struct {
		name    string
		files   string   // txtar applied over goodProject
		remove  string   // a path to delete first
		want    []string // substrings of stderr
		wantNot string
		row     bool // a whole row is meant: line, no column
	}{
		{
			name: "non-numeric value",
			files: `-- data/funnel.csv --
period,channel,visits,requests,deals
2025-Q1,web,1000,50,10
2025-Q1,fairs,200,forty,12
`,
			want: []string{`data/funnel.csv:3:19: column "requests": not a number`, `(value "forty")`},
		},
		{
			name: "unknown metric in long form",
			files: `-- data/funnel.csv --
period,channel,metric,value
2025-Q1,web,visits,1000
2025-Q1,web,vists,50
`,
			want: []string{`data/funnel.csv:3:13: column "metric": unknown metric`, `(value "vists")`},
		},
		{
			name: "unknown metric column in wide form",
			files: `-- data/funnel.csv --
period,channel,visits,deels
2025-Q1,web,1000,5
`,
			want: []string{`data/funnel.csv:1:23: column "deels": unknown metric`},
		},
		{
			name: "duplicate row across files",
			files: `-- data/extra.csv --
period;channel;metric;value
2025-Q2;web;deals;11
`,
			want: []string{`data/funnel.csv:4: duplicate value for period "2025-Q2", segment channel=web, metric "deals" (first at data/extra.csv:2)`},
			row:  true,
		},
		{
			name:  "empty file",
			files: "-- data/funnel.csv --\n",
			want:  []string{"data/funnel.csv: empty file"},
		},
		{
			name:   "missing data folder",
			remove: "data",
			want:   []string{"data/: no data folder"},
		},
		{
			name: "row with a missing field",
			files: `-- data/funnel.csv --
period,channel,visits,requests,deals
2025-Q1,web,1000,50
`,
			want: []string{"data/funnel.csv:2: row has 4 fields, header has 5"},
			row:  true,
		},
		{
			name: "unknown config key",
			files: `-- funnel.yaml --
title: Test
stepz: []
`,
			want: []string{`funnel.yaml:2:1: unknown key "stepz" in config`},
		}, {
			name: "config syntax error",
			files: `-- funnel.yaml --
title: Test
  language: en
`,
			want: []string{`funnel.yaml:2:3: mapping values are not allowed in this context`},
		},
		{
			name: "config value out of range",
			files: `-- funnel.yaml --
title: Test
steps:
  - {id: visits}
  - {id: requests, target: 30}
`,
			want: []string{`funnel.yaml:4:28: ratio "30" outside 0..1`},
		},
		{
			name: "unknown front matter key",
			files: `-- content/_index.md --
---
title: Home
autor: me
---
Text.
`,
			want: []string{`content/_index.md:3:1: front matter: field autor is not a known front matter key`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := testproject.Write(t, goodProject)
			out := filepath.Join(t.TempDir(), "public")
			buildOK(t, src, out)
			before := readTree(t, out)
			if tc.remove != "" {
				if err := os.RemoveAll(filepath.Join(src, tc.remove)); err != nil {
					t.Fatal(err)
				}
			}
			testproject.WriteInto(t, src, tc.files)
			code, _, stderr := runCLI(t, "build", "--source", src, "--out", out)
			if code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			// A problem in a line of a file names its column too (file:
			// line:col); a file or a whole row has none.
			if place := regexp.MustCompile(`^error: \S+?:(\d+):(\d+)?:? `).FindStringSubmatch(stderr); place != nil && place[2] == "" && !tc.row {
				t.Errorf("no column in %q", stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("want exactly one error line, got:\n%s", stderr)
			}
			after := readTree(t, out)
			if len(after) != len(before) {
				t.Fatalf("public/ changed after a failed build: %d files, was %d", len(after), len(before))
			}
			for name, b := range before {
				if !bytes.Equal(b, after[name]) {
					t.Errorf("public/%s changed after a failed build", name)
				}
			}
		})
	}
}

func TestManyBadCellsAreAllListed(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("period,visits,deals\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&csv, "2025-W%02d,x,1\n", i+1)
	}
	src := testproject.Write(t, goodProject+"-- data/f.csv --\n"+csv.String())
	code, _, stderr := runCLI(t, "build", "--source", src, "--out", filepath.Join(t.TempDir(), "p"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	// 30 bad rows: the first 20 are listed, one per line, in file order.
	if len(lines) < 20 || len(lines) > 21 {
		t.Fatalf("want 20 listed errors (and maybe a count of the rest), got %d lines:\n%s", len(lines), stderr)
	}
	for i := 0; i < 20; i++ {
		if want := fmt.Sprintf("data/f.csv:%d:10: column \"visits\"", i+2); !strings.Contains(lines[i], want) {
			t.Errorf("error %d: want %q, got %s", i+1, want, lines[i])
		}
	}
}

// TestHostileLabelsAreInert: labels from CSV, config and Markdown cannot
// inject script into a page or into a chart option.
func TestHostileLabelsAreInert(t *testing.T) {
	const evil = `</script><script>alert(1)</script>`
	src := testproject.Write(t, `
-- funnel.yaml --
title: "`+evil+`"
language: en
steps:
  - {id: visits, name: "`+evil+`"}
  - {id: deals, name: "<img src=x onerror=alert(1)>"}
-- data/funnel.csv --
period,segment,visits,deals
2025-Q1,"`+evil+`",100,10
2025-Q1,web,50,5
-- content/_index.md --
---
title: "`+evil+`"
---
Hello <script>alert(1)</script> [click](javascript:alert(1)) __f__function(){alert(1)}__f__
-- content/periods/2025-Q1.md --
<img src=x onerror=alert(1)>
`)
	out := filepath.Join(t.TempDir(), "public")
	buildOK(t, src, out)
	pages := 0
	for name, b := range readTree(t, out) {
		if strings.HasSuffix(name, ".html") {
			pages++
			assertInert(t, name, b)
		}
	}
	if pages < 2 {
		t.Fatalf("want the home and a period page, got %d pages", pages)
	}
}

// assertInert parses a page as a browser would and fails on any script we
// did not write, any event-handler attribute and any javascript: URL.
func assertInert(t *testing.T, name string, page []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	inScript := ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if inScript == "json" {
				var v any
				if err := json.Unmarshal(z.Text(), &v); err != nil {
					t.Errorf("%s: chart option block is not plain JSON (a label broke out?): %v", name, err)
				}
			} else if inScript == "code" && len(bytes.TrimSpace(z.Text())) > 0 {
				t.Errorf("%s: inline script %q", name, z.Text())
			}
		case html.EndTagToken:
			inScript = ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tn, _ := z.TagName()
			attrs := map[string]string{}
			for {
				k, v, more := z.TagAttr()
				attrs[string(k)] = string(v)
				if strings.HasPrefix(string(k), "on") {
					t.Errorf("%s: <%s %s=%q>: event handler attribute", name, tn, k, v)
				}
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(v))), "javascript:") {
					t.Errorf("%s: <%s %s=%q>: javascript: URL", name, tn, k, v)
				}
				if !more {
					break
				}
			}
			if string(tn) == "script" {
				switch {
				case attrs["type"] == "application/json":
					inScript = "json"
				case !strings.Contains(attrs["src"], ":") &&
					(strings.HasSuffix(attrs["src"], "assets/echarts.min.js") || strings.HasSuffix(attrs["src"], "assets/site.js")):
					inScript = "code"
				default:
					t.Errorf("%s: unexpected script element %v", name, attrs)
					inScript = "code"
				}
			}
			if string(tn) == "img" || string(tn) == "iframe" || string(tn) == "object" {
				t.Errorf("%s: user HTML element <%s> got through", name, tn)
			}
		}
	}
}
