package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	funnel "github.com/funnel-report/funnel"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/render"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"
)

// example is the repository root: the worked example report.
const example = "../.."

// buildExample renders the example into memory: path → content.
func buildExample(t *testing.T, o build.Options) map[string][]byte {
	t.Helper()
	o.Source = example
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	return fileMap(r.Files)
}

// fileMap reads the files of a site into memory, by path.
func fileMap(files []site.File) map[string][]byte {
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
		if f.Src != "" {
			data, err := os.ReadFile(f.Src)
			if err != nil {
				panic(err)
			}
			out[f.Path] = data
		}
	}
	return out
}

func pages(files map[string][]byte) []string {
	var out []string
	for p := range files {
		if strings.HasSuffix(p, ".html") {
			out = append(out, p)
		}
	}
	return out
}

var (
	hrefRe   = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	chartRe  = regexp.MustCompile(`<div class="chart" id="([^"]+)"`)
	optionRe = regexp.MustCompile(`<script type="application/json" id="([^"]+)-option">([^<]*)</script>`)
)

func TestExamplePagesExist(t *testing.T) {
	files := buildExample(t, build.Options{})
	for _, p := range []string{
		"index.html", "periods/2024-q1/index.html", "periods/2025-q4/index.html",
		"stages/awareness/index.html", "stages/decision/index.html", "stages/advocacy/index.html",
		"segments/channel/web/index.html", "segments/region/tsentr/index.html", "segments/region/sibir/index.html",
		"trends/index.html", "data/index.html",
		"assets/echarts.min.js", "assets/site.css", "assets/print.css", "assets/site.js",
	} {
		if _, ok := files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	// Cyrillic survives in titles, tables and chart options.
	seg := string(files["segments/region/sibir/index.html"])
	for _, want := range []string{"<title>Регион: Сибирь — ХимПромСнаб", "Посещения сайта", `"Посещения сайта → Запросы на расчёт цены"`} {
		if !strings.Contains(seg, want) {
			t.Errorf("segment page lacks %q", want)
		}
	}
}

// Every internal link and asset reference resolves to a file of the site;
// links to pages name their index.html (the site works from file://).
func TestExampleLinksResolve(t *testing.T) {
	files := buildExample(t, build.Options{})
	n := 0
	for _, p := range pages(files) {
		for _, m := range hrefRe.FindAllStringSubmatch(string(files[p]), -1) {
			href := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(href, "#") || strings.Contains(href, "://") || href == "data:," {
				continue
			}
			href, _, _ = strings.Cut(href, "#")
			target := path.Join(path.Dir(p), href)
			if _, ok := files[target]; !ok {
				t.Errorf("%s: link %q → %s: no such file", p, m[1], target)
			}
			if path.Ext(href) == "" || strings.HasSuffix(href, "/") {
				t.Errorf("%s: link %q does not name a file", p, m[1])
			}
			n++
		}
	}
	if n < 500 {
		t.Errorf("only %d links checked; the pages should link to each other", n)
	}
}

// docs/design.md §7: a page weighs < 150 KB; ECharts is shipped once per site.
func TestExamplePageWeightAndOneECharts(t *testing.T) {
	files := buildExample(t, build.Options{})
	ech := files["assets/echarts.min.js"]
	if len(ech) < 500_000 {
		t.Fatalf("assets/echarts.min.js is %d bytes; want the full build", len(ech))
	}
	sig := ech[:200]
	for p, b := range files {
		if p != "assets/echarts.min.js" && bytes.Contains(b, sig) {
			t.Errorf("%s contains the ECharts script again", p)
		}
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if len(b) >= 150*1024 {
			t.Errorf("%s weighs %d bytes, want < 150 KB", p, len(b))
		}
		if c := strings.Count(string(b), "echarts.min.js"); c != 1 {
			t.Errorf("%s references echarts.min.js %d times, want 1", p, c)
		}
	}
}

// Every chart container has a JSON option block, ids are unique on a page,
// and no option carries a function (options stay plain JSON).
func TestExampleChartsArePlainJSON(t *testing.T) {
	files := buildExample(t, build.Options{})
	total := 0
	for _, p := range pages(files) {
		src := string(files[p])
		ids := map[string]bool{}
		for _, m := range chartRe.FindAllStringSubmatch(src, -1) {
			if ids[m[1]] {
				t.Errorf("%s: chart id %s twice", p, m[1])
			}
			ids[m[1]] = true
		}
		opts := map[string]bool{}
		for _, m := range optionRe.FindAllStringSubmatch(src, -1) {
			var v map[string]any
			if err := json.Unmarshal([]byte(m[2]), &v); err != nil {
				t.Errorf("%s: option %s is not JSON: %v", p, m[1], err)
			}
			if strings.Contains(m[2], "__f__") || strings.Contains(m[2], "function") {
				t.Errorf("%s: option %s carries a function", p, m[1])
			}
			opts[m[1]] = true
		}
		for id := range ids {
			if !opts[id] {
				t.Errorf("%s: chart %s has no option block", p, id)
			}
			total++
		}
	}
	if total < 50 {
		t.Errorf("%d charts in the example, want every page's charts", total)
	}
}

// --period builds the site as it was: later periods have no page and the
// latest period is the one asked for.
func TestExampleAsOfPeriod(t *testing.T) {
	files := buildExample(t, build.Options{Period: "2025-Q2"})
	if _, ok := files["periods/2025-q3/index.html"]; ok {
		t.Error("2025-Q3 has a page in a site built as of 2025-Q2")
	}
	home := string(files["index.html"])
	if !strings.Contains(home, "Последний период: <strong>II кв. 2025</strong>") {
		t.Error("home does not mark II кв. 2025 as the latest period")
	}
	// Commentary for a later period is not an error: its period is cut.
	if strings.Contains(home, "IV кв. 2025") {
		t.Error("home mentions IV кв. 2025")
	}
}

func TestBaseURL(t *testing.T) {
	files := buildExample(t, build.Options{BaseURL: "https://intra.example.com/funnel"})
	p := string(files["periods/2025-q3/index.html"])
	for _, want := range []string{
		`<link rel="canonical" href="https://intra.example.com/funnel/periods/2025-q3/">`,
		`<meta property="og:url" content="https://intra.example.com/funnel/periods/2025-q3/">`,
		`href="../../index.html"`, // links stay relative
	} {
		if !strings.Contains(p, want) {
			t.Errorf("period page lacks %s", want)
		}
	}
}

// built loads and renders the project in src, as funnel build does.
func built(t *testing.T, src string) *build.Result {
	t.Helper()
	o := build.Options{Source: src}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// builtProject writes files (path → content) into a new project folder
// and builds it.
func builtProject(t *testing.T, files map[string]string) *build.Result {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return built(t, dir)
}

// renderWith renders the example's model with a project file system of
// our own (templates, static files, commentary).
func renderWith(t *testing.T, project fs.FS, docs []*content.Doc) (map[string][]byte, error) {
	t.Helper()
	r, err := build.Load(build.Options{Source: example})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	s, err := report.Build(r.Model, docs, i18n.For(r.Model.Language))
	if err != nil {
		return nil, err
	}
	rd, err := render.New(render.Options{Project: project, Builtin: funnel.Builtin})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rd.Render(s)
	if err != nil {
		return nil, err
	}
	return fileMap(files), nil
}

var headerRe = regexp.MustCompile(`(?s)<header class="[^"]*">.*?</header>\s*`)

// Overriding one partial (a client logo header) changes that part of every
// page and nothing else; project static files are copied as they are.
func TestOverrideOnePartial(t *testing.T) {
	plain, err := renderWith(t, fstest.MapFS{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	logo := []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
	project := fstest.MapFS{
		"templates/partials/header.html": {Data: []byte(`<header class="client"><img src="{{ .Page.Rel "logo.svg" }}" alt="ACME"></header>`)},
		"static/logo.svg":                {Data: logo},
	}
	custom, err := renderWith(t, project, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(custom["logo.svg"], logo) {
		t.Error("static/logo.svg not copied as it is")
	}
	for _, p := range pages(plain) {
		a, b := string(plain[p]), string(custom[p])
		if !strings.Contains(b, `<header class="client"><img src="`) {
			t.Errorf("%s: the overridden header is missing", p)
			continue
		}
		if ra, rb := headerRe.ReplaceAllString(a, "HEADER"), headerRe.ReplaceAllString(b, "HEADER"); ra != rb {
			t.Errorf("%s: the override changed more than the header: %s", p, firstDiff(ra, rb))
		}
	}
	if _, ok := custom["templates/partials/header.html"]; ok {
		t.Error("templates leaked into the output")
	}
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	return fmt.Sprintf("at byte %d: %q vs %q", i, a[lo:min(len(a), i+60)], b[lo:min(len(b), i+60)])
}

func TestProjectThemeStaticOverrides(t *testing.T) {
	css := []byte("body{background:#000}")
	files, err := renderWith(t, fstest.MapFS{"static/assets/site.css": {Data: css}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["assets/site.css"], css) {
		t.Error("project static/assets/site.css did not replace the theme's")
	}
}

func doc(t *testing.T, p, src string) *content.Doc {
	t.Helper()
	d, err := content.Parse(p, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Embeds resolve against the model; the numbers are the example's data:
// 2025-Q3 proposals 700, deals 119 → 119/700 = 17,0%; 2025-Q4 site
// visits 26 672; web channel 2025-Q4 deals 40 of 288 proposals = 13,9%.
func TestEmbedsInPages(t *testing.T) {
	docs := []*content.Doc{
		doc(t, "content/periods/2025-Q3.md", "---\ntitle: Q3\n---\nДо сделки дошло {{< value \"conversion\" step=\"deals\" >}} КП.\n\n"+
			"```funnel chart=conversion segment=channel:web period=2025-Q4\nВеб-канал\n```\n\n"+
			"```funnel table=funnel\n```\n"),
		doc(t, "content/_index.md", "Посещений: {{< value \"count\" step=\"site_visits\" >}}; веб: {{< value conversion step=deals segment=channel:web >}}.\n"),
		doc(t, "content/about.md", "---\ntitle: О отчёте\nweight: 1\n---\nЦель: {{< value \"target\" step=\"deals\" >}}, NPS: {{< value \"metric\" metric=\"nps\" period=\"2025-Q4\" >}}\n"),
	}
	files, err := renderWith(t, nil, docs)
	if err != nil {
		t.Fatal(err)
	}
	q3 := string(files["periods/2025-q3/index.html"])
	for _, want := range []string{"До сделки дошло 17,0% КП.", "<figcaption>Веб-канал</figcaption>", `class="chart" id="c_periods_2025_q3_index_html_1"`, "<caption>Воронка по шагам</caption>"} {
		if !strings.Contains(q3, want) {
			t.Errorf("period page lacks %q", want)
		}
	}
	home := string(files["index.html"])
	if !strings.Contains(home, "Посещений: 26\u00a0672; веб: 13,9%.") {
		t.Error("home embeds wrong values")
	}
	about := string(files["about/index.html"])
	if !strings.Contains(about, "Цель: 30,0%, NPS: ") {
		t.Errorf("free page embeds wrong values")
	}
	if !strings.Contains(string(files["trends/index.html"]), `href="../about/index.html">О отчёте</a>`) {
		t.Error("free page missing from the navigation")
	}
}

// Bad embeds name file, line and column (the fence's info string or
// the inline "{{<"), whatever page they are on.
func TestBadEmbedsNameFileAndLine(t *testing.T) {
	tests := []struct{ src, want string }{
		{"---\ntitle: x\n---\nText\n\n```funnel chart=funel\n```\n", `content/periods/2025-Q3.md:6:4: embed: unknown chart "funel" (charts: conversion, funnel, losses, metric, segments, trend)`},
		{"a\nb {{< value \"conversion\" step=\"dealz\" >}}\n", `content/periods/2025-Q3.md:2:3: embed: no step "dealz" (steps: site_visits, quote_requests`},
		{"{{< value \"conversion\" step=\"site_visits\" >}}", `content/periods/2025-Q3.md:1:1: embed: "site_visits" is the first step`},
		{"```funnel chart=funnel period=2025-Q9\n```", `content/periods/2025-Q3.md:1:4: embed: no period "2025-Q9" in the data`},
		{"```funnel chart=funnel segment=channel:fax\n```", `content/periods/2025-Q3.md:1:4: embed: no segment "channel:fax" (segments: all, channel:web`},
		{"{{< value \"metric\" metric=\"csat\" >}}", `content/periods/2025-Q3.md:1:1: embed: no metric "csat" (metrics: response_hours`},
		{"{{< chart \"funnel\" >}}", `content/periods/2025-Q3.md:1:1: embed: a chart needs its own fenced block`},
		{"{{< value \"count\" stp=\"deals\" >}}", `content/periods/2025-Q3.md:1:1: embed value "count": unknown parameter "stp"`},
	}
	for _, tc := range tests {
		t.Run(tc.want[:40], func(t *testing.T) {
			_, err := renderWith(t, nil, []*content.Doc{doc(t, "content/periods/2025-Q3.md", tc.src)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %s", err, tc.want)
			}
		})
	}
}

func TestCommentaryForUnknownPagesIsAnError(t *testing.T) {
	tests := []struct{ path, want string }{
		{"content/periods/2031-Q1.md", `content/periods/2031-Q1.md: no period "2031-Q1" in the data`},
		{"content/stages/onboarding.md", `content/stages/onboarding.md: no stage "onboarding" (stages: awareness`},
		{"content/segments/region/Марс.md", `content/segments/region/Марс.md: no segment "region/Марс" in the data (segments: channel/web`},
		{"content/data.md", `content/data.md: the page name "data" is taken by the generated site`},
	}
	for _, tc := range tests {
		_, err := renderWith(t, nil, []*content.Doc{doc(t, tc.path, "x")})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %s", tc.path, err, tc.want)
		}
	}
}

// A page with no data for a chart says so instead of drawing a frame: in
// 2025-Q1 only the first step is counted, so there is no conversion.
func TestNoDataSaysSo(t *testing.T) {
	r := builtProject(t, map[string]string{
		"data/funnel.csv": "period,leads,deals\n2025-Q1,10,\n2025-Q2,12,3\n",
		"funnel.yaml":     "title: T\nlanguage: en\n",
	})
	files := fileMap(r.Files)
	q1, q2 := string(files["periods/2025-q1/index.html"]), string(files["periods/2025-q2/index.html"])
	if !strings.Contains(q1, "No data for this chart in this period.") {
		t.Error("2025-Q1 does not say its conversion chart has no data")
	}
	// Q1 draws only its funnel (bars, no script); Q2 also the
	// conversion and the losses.
	for _, p := range []string{q1, q2} {
		if !strings.Contains(p, `class="chart-box fbars"`) {
			t.Error("a period page lacks its funnel bars")
		}
	}
	if got := strings.Count(q1, `class="chart"`); got != 0 {
		t.Errorf("2025-Q1 draws %d script charts, want 0", got)
	}
	if got := strings.Count(q2, `class="chart"`); got != 2 {
		t.Errorf("2025-Q2 draws %d script charts, want 2", got)
	}
	if strings.Contains(q2, "No data for this chart") {
		t.Error("2025-Q2 claims a chart has no data")
	}
}

// Hostile text in the config, the data and the commentary stays text: no
// script element, event handler or function comes out of it.
func TestHostileTextStaysText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := dir + "/" + name
		if err := os.MkdirAll(path.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("funnel.yaml", "title: \"</script><script>alert('t')</script>\"\nlanguage: en\nsegments: [channel]\n")
	write("data/funnel.csv", "period,channel,leads,deals\n2025-Q1,<img src=x onerror=alert(1)>,10,2\n2025-Q1,__f__function(){alert(2)}__f__,20,5\n")
	write("content/_index.md", "Hi <script>alert(3)</script> [x](javascript:alert(4))\n\n"+
		"```funnel chart=funnel segment=\"channel:<img src=x onerror=alert(1)>\"\n</script><b>c</b>\n```\n")
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	for p, b := range fileMap(r.Files) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		s := string(b)
		for _, bad := range []string{"<script>alert", "<img src=x", "javascript:", "onerror=alert(1)>"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		// In chart options "__f__" would mark JavaScript for go-echarts;
		// as page text it is only text.
		for _, m := range optionRe.FindAllStringSubmatch(s, -1) {
			if strings.Contains(m[2], "__f__") {
				t.Errorf("%s: chart %s option contains __f__", p, m[1])
			}
		}
		if n := strings.Count(s, "<script"); n != strings.Count(s, "</script>") {
			t.Errorf("%s: %d script starts, %d ends", p, n, strings.Count(s, "</script>"))
		}
	}
}

// A big project (36 months, 3 dimensions × 10 values) keeps every page
// under 150 KB: nothing on a page grows with periods × segments.
func TestBigSitePagesStayLight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 36-period project")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("period,channel,region,manager,visits,requests,proposals,deals,repeat\n")
	for m := 0; m < 36; m++ {
		p := fmt.Sprintf("%d-%02d", 2023+m/12, m%12+1)
		for dim := 0; dim < 3; dim++ {
			for v := 0; v < 10; v++ {
				seg := []string{"", "", ""}
				seg[dim] = fmt.Sprintf("value-%d", v)
				n := 1000 + 37*v + m
				fmt.Fprintf(&b, "%s,%s,%d,%d,%d,%d,%d\n", p, strings.Join(seg, ","), n, n/20, n/30, n/120, n/300)
			}
		}
	}
	if err := os.MkdirAll(dir+"/data", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/data/funnel.csv", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/funnel.yaml", []byte("title: Big\nlanguage: en\nsegments: [channel, region, manager]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range r.Files {
		if strings.HasSuffix(f.Path, ".html") {
			n++
			if len(f.Data) >= 150*1024 {
				t.Errorf("%s weighs %d bytes, want < 150 KB", f.Path, len(f.Data))
			}
		}
	}
	// 1 home + 36 periods + 6 stages + 3 dimensions + 30 segments +
	// trends + data.
	if n != 78 {
		t.Errorf("%d pages, want 78", n)
	}
}

// The period switcher links the neighbours, every period page marks the
// latest, breadcrumbs lead home, and stages with nothing measured in the
// period are flagged on the home page.
func TestNavigation(t *testing.T) {
	files := buildExample(t, build.Options{})
	q3 := string(files["periods/2025-q3/index.html"])
	for _, want := range []string{
		`<a class="prev" href="../../periods/2025-q2/index.html" rel="prev">← II кв. 2025</a>`,
		`<a class="next" href="../../periods/2025-q4/index.html" rel="next">IV кв. 2025 →</a>`,
		`<strong aria-current="page">III кв. 2025</strong>`,
		`<a href="../../periods/2025-q4/index.html">IV кв. 2025</a><span class="tag">последний</span>`,
		`<ol><li><a href="../../index.html">ХимПромСнаб — воронка B2B-клиентов</a></li><li aria-current="page">III квартал 2025</li></ol>`,
		`<p class="notice">Это один из прошлых периодов. Последний:`,
	} {
		if !strings.Contains(q3, want) {
			t.Errorf("2025-Q3 lacks %s", want)
		}
	}
	q4 := string(files["periods/2025-q4/index.html"])
	if strings.Contains(q4, `class="next"`+" href") || strings.Contains(q4, `<p class="notice">`) {
		t.Error("the latest period links a next period or calls itself old")
	}
	// Referrals (advocacy) were first counted in 2024-Q3.
	old := buildExample(t, build.Options{Period: "2024-Q2"})
	if !strings.Contains(string(old["index.html"]), `<li class="hole"><a href="stages/advocacy/index.html">`) {
		t.Error("home of 2024-Q2 does not flag advocacy as not measured")
	}
	if strings.Contains(string(files["index.html"]), `class="hole"`) {
		t.Error("home of 2025-Q4 flags a measured stage")
	}
}
