package e2e

import (
	"fmt"
	"strings"
	"testing"
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
		for _, w := range want[name] {
			if !strings.Contains(got, w) {
				t.Errorf("%s check missed %q; it reported:\n%s", name, w, got)
			}
		}
	}
}
