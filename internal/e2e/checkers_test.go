package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// collect runs a check and returns the problems it reported.
func collect(check func(errorf errorfFunc)) []string {
	var got []string
	check(func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) })
	return got
}

// TestCheckersCatch proves the file checks are not vacuous: a hand-made
// site with one defect of each kind must be reported, defect by defect.
func TestCheckersCatch(t *testing.T) {
	bad := writeProject(t, map[string]string{
		"assets/site.js":  "document.title = 1;",
		"assets/site.css": "body { background: url(https://cdn.example/x.png) }",
		"index.html": `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://cdn.example/a.css">
<link rel="canonical" href="https://report.example/index.html">
<script src="assets/site.js"></script>
<script>alert(1)</script>
</head><body>
<a href="periods/2025-q1/">folder</a>
<a href="periods/missing/index.html">missing</a>
<a href="/assets/site.js">rooted</a>
<a href="index.html#nowhere">fragment</a>
<a href="JaVaScript:alert(1)">js</a>
<img src="x.png" onerror="alert(1)">
<div class="chart" id="c1"></div><script type="application/json" id="c1-option">{"t":"</b>"}</script>
<div class="chart" id="c2"></div>
<script type="application/json" id="c3-option">{"f":"__f__function(){}__f__"}</script>
</body></html>`,
		"periods/2025-q1/index.html": `<!DOCTYPE html><html><body><a href="../../index.html">home</a></body></html>`,
	})
	want := map[string][]string{
		"links": {
			`"periods/2025-q1/" names a folder`,
			`periods/missing/index.html does not exist`,
			`"/assets/site.js" is root-relative`,
			`no id "nowhere"`,
			`"JaVaScript:alert(1)": unexpected scheme`,
			`x.png does not exist`,
			`loads "https://cdn.example/a.css" from the network`,
		},
		"offline": {`href="https://cdn.example/a.css"`, `site.css: loads from the network`},
		"inert": {
			`unexpected inline <script type="">alert(1)`,
			`onerror="alert(1)"`,
			`<a href="JaVaScript:alert(1)">: script URL`,
			`"c1-option" has a raw '<'`,
			`"c3-option" carries a __f__`,
		},
		"charts": {`chart "c2" has no c2-option block`},
	}
	checks := map[string]func(errorfFunc){
		"links":   func(e errorfFunc) { checkLinks(t, e, bad) },
		"offline": func(e errorfFunc) { checkOffline(t, e, bad) },
		"inert":   func(e errorfFunc) { checkInert(t, e, bad) },
		"charts":  func(e errorfFunc) { checkCharts(t, e, bad) },
	}
	for name, check := range checks {
		got := strings.Join(collect(check), "\n")
		if strings.Contains(got, "report.example") {
			t.Errorf("%s check flagged a canonical link, which loads nothing:\n%s", name, got)
		}
		for _, w := range want[name] {
			if !strings.Contains(got, w) {
				t.Errorf("%s check missed %q; it reported:\n%s", name, w, got)
			}
		}
	}
}

// TestBrowserChecksCatch proves the browser checks are not vacuous: a page
// with a blank chart, a chart with no option, a console error, an
// exception, a request off the site, an alert and no .site-nav must each
// be reported.
func TestBrowserChecksCatch(t *testing.T) {
	bctx := newBrowser(t)
	good := buildExample(t)
	echartsJS, err := os.ReadFile(filepath.Join(good, "assets", "echarts.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	bad := writeProject(t, map[string]string{
		"assets/echarts.min.js": string(echartsJS),
		"index.html": `<!DOCTYPE html><html><body>
<nav class="crumbs">crumbs stay visible in print</nav>
<div class="chart" id="blank" style="height:300px"></div>
<div class="chart" id="titled" style="height:300px"></div>
<div class="chart" id="orphan" style="height:300px"></div>
<img src="http://127.0.0.1:1/x.png">
<script src="assets/echarts.min.js"></script>
<script>
echarts.init(document.getElementById('blank')).setOption({});
echarts.init(document.getElementById('titled')).setOption({title: {text: 'Only a title'}});
console.error('boom');
alert('pwned');
undefinedFunction();
</script>
</body></html>`,
	})
	got := strings.Join(collect(func(e errorfFunc) {
		checkPageInBrowser(t, e, bctx, fileURL(filepath.Join(bad, "index.html")), underFile(bad), time.Second)
	}), "\n")
	for _, w := range []string{
		"chart blank (): blank",
		"chart titled (canvas): blank",
		"chart orphan: no ECharts instance",
		`console.error: "boom"`,
		"uncaught exception",
		"request leaves the site: http://127.0.0.1:1/x.png",
		"failed request http://127.0.0.1:1/x.png",
		`a dialog opened: alert("pwned")`,
		"no .site-nav on the page",
		"print media shows navigation: crumbs=block",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("browser check missed %q; it reported:\n%s", w, got)
		}
	}
}
