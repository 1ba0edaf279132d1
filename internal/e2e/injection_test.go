package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/funnel-report/funnel/internal/build"
)

// hostileProject is a report whose every user string is an attack: the
// title, step names (funnel.yaml), segment values and period labels (CSV),
// front matter and Markdown carry script tags, a tag that closes the JSON
// script element, javascript: links, event handlers, Go template syntax,
// go-echarts' __f__ function marker and HTML entities. Every alert names
// where it came from, so a failure says which string escaped. md is the
// Markdown of the home page and of a period page.
func hostileProject(t *testing.T, unsafeHTML bool, md string) string {
	t.Helper()
	// Every period label is free-form (one kind of label per project: a
	// quarter among them would be an error), and each is hostile.
	return writeProject(t, map[string]string{
		"funnel.yaml": `title: "<script>alert('title')</script> {{.}} &amp; &#60;b&#62;"
language: en
markdown: {unsafe_html: ` + fmt.Sprint(unsafeHTML) + `}
steps:
  - {id: visits, name: "<script>alert('step1')</script>", stage: awareness}
  - {id: leads, name: "</script><script>alert('step2')</script>", stage: consideration, target: 30%}
  - {id: deals, name: "__f__function(){alert('step3')}__f__", stage: decision}
  - {id: won, name: "\"</script><img src=x onerror=alert('step4')> {{.}} &lt;b&gt;", stage: purchase}
segments: [channel]
`,
		"data/funnel.csv": `period,channel,visits,leads,deals,won
Q1 &amp; <b>2025</b>,<script>alert('seg1')</script>,1000,100,30,20
Q1 &amp; <b>2025</b>,</script><script>alert('seg2')</script>,900,80,20,10
Q1 &amp; <b>2025</b>,javascript:alert('seg3'),800,70,25,12
Q1 &amp; <b>2025</b>,__f__function(){alert('seg4')}__f__,700,60,20,9
Q1 &amp; <b>2025</b>,"""</script><img src=x onerror=alert('seg5')>",600,50,10,5
Q1 &amp; <b>2025</b>,{{.}} &lt;i&gt; &#60;u&#62;,500,40,10,5
<img src=x onerror=alert('period1')>,<script>alert('seg1')</script>,1100,90,30,20
<img src=x onerror=alert('period1')>,</script><script>alert('seg2')</script>,900,80,20,10
</script><script>alert('period2')</script>,<script>alert('seg1')</script>,1000,100,30,20
{{.}},<script>alert('seg1')</script>,1000,100,30,20
`,
		"content/_index.md": `---
title: "</script><script>alert('fm')</script>"
summary: "<img src=x onerror=alert('summary')>"
---
` + md,
		"content/periods/{{.}}.md": `---
title: "\"</script><script>alert('periodtitle')</script>"
---
` + md,
	})
}

// hostileMarkdown is commentary that tries every way out of Markdown.
const hostileMarkdown = `## Heading <script>alert('h')</script>

<script>alert('md')</script>

<mark id="raw-html">raw html</mark>

</script><script>alert('md2')</script>

[link](javascript:alert('md3')) [upper](JAVASCRIPT:alert('md4')) [spaced]( javascript:alert('md5'))
[entity](jav&#x61;script:alert('md6')) <javascript:alert('auto')>

<a href="javascript:alert('md7')">raw link</a> <img src=x onerror=alert('md8')>

{{.}} __f__function(){alert('md9')}__f__ &lt;script&gt;alert('ent')&lt;/script&gt; &#60;script&#62; "</script>
`

// benignRawMarkdown has raw HTML that is harmless: with unsafe_html on it
// must come through, proving the switch works.
const benignRawMarkdown = `## Notes

<mark id="raw-html">raw html</mark>

{{.}} __f__function(){alert('md9')}__f__ &lt;script&gt;
`

func TestInjectionIsInert(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unsafe  bool
		md      string
		rawKept bool
	}{
		{"raw html off", false, hostileMarkdown, false},
		{"raw html on", true, benignRawMarkdown, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := buildInto(t, build.Options{Source: hostileProject(t, tc.unsafe, tc.md)})
			checkSite(t, out)
			pages := parsePages(t, out)
			if len(pages) < 5 {
				t.Errorf("built %d pages, want home + 4 periods", len(pages))
			}
			raw := false
			var texts, options strings.Builder
			for _, p := range pages {
				raw = raw || ids(p.Root)["raw-html"]
				walkText(p.Root, func(s string) { texts.WriteString(s + "\n") })
				for _, o := range chartOptions(p) {
					collectStrings(o, func(s string) { options.WriteString(s + "\n") })
				}
			}
			if raw != tc.rawKept {
				t.Errorf("raw HTML element in the output: %v, want %v (unsafe_html: %v)", raw, tc.rawKept, tc.unsafe)
			}
			// The attacks reached the pages, as text: the checks above had
			// something to check.
			for _, want := range []string{
				"<script>alert('title')</script> {{.}}",          // title, literal, not evaluated
				"</script><script>alert('step2')</script>",       // step name
				"</script><script>alert('period2')</script>",     // period label
				"</script><script>alert('periodtitle')</script>", // front matter
			} {
				if !strings.Contains(texts.String(), want) {
					t.Errorf("page text lacks %q: it was dropped or mangled", want)
				}
			}
			// Segment values are on no page yet (segment pages are to come);
			// when they are, checkSite above holds them to the same rules.
			if !strings.Contains(texts.String()+options.String(), "alert('seg2')") {
				t.Log("note: no page shows segment values yet")
			}
			for _, want := range []string{"</script><script>alert('step2')</script>", "<script>alert('step1')</script>"} {
				if !strings.Contains(options.String(), want) {
					t.Errorf("chart options lack the step name %q", want)
				}
			}
			if strings.Contains(options.String(), "__f__") {
				t.Errorf("chart options keep a __f__ marker")
			}
		})
	}
}

// walkText calls fn with every text node outside script elements.
func walkText(n *html.Node, fn func(string)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			fn(c.Data)
		case c.Type == html.ElementNode && c.Data == "script":
		default:
			walkText(c, fn)
		}
	}
}

// collectStrings calls fn with every string inside a decoded JSON value.
func collectStrings(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case []any:
		for _, x := range v {
			collectStrings(x, fn)
		}
	case map[string]any:
		for _, x := range v {
			collectStrings(x, fn)
		}
	}
}

// tooltipsJS shows the tooltip of every data point of every chart and
// returns how many it showed and the text the tooltips displayed.
const tooltipsJS = `(function () {
  var shown = 0, text = '';
  document.querySelectorAll('.chart[id]').forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) { return; }
    (c.getOption().series || []).forEach(function (s, si) {
      var n = (s.data || []).length || ((s.links || []).length);
      for (var i = 0; i < n; i++) {
        c.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: i});
        shown++;
        text += el.innerText + '\n';
      }
    });
    c.dispatchAction({type: 'hideTip'});
  });
  return {shown: shown, text: text};
})()`

type tooltips struct {
	Shown int    `json:"shown"`
	Text  string `json:"text"`
}

// box is an element's rectangle in the viewport.
type box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// hoverCharts moves the mouse over a 6×4 grid of points of each chart, as
// a reader would, so ECharts draws hover tooltips and emphasis labels.
func hoverCharts(hovered *int) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		n, err := chromedp.Evaluate[int](`document.querySelectorAll('.chart[id]').length`)(ctx, tg)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			// Scroll the chart into view and read its box.
			js := fmt.Sprintf(`(function(){ var el = document.querySelectorAll('.chart[id]')[%d]; el.scrollIntoView(); var r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })()`, i)
			b, berr := chromedp.Evaluate[box](js)(ctx, tg)
			if berr != nil {
				return berr
			}
			for gx := 1; gx <= 6; gx++ {
				for gy := 1; gy <= 4; gy++ {
					_, err = cdp.Call(ctx, tg, input.DispatchMouseEvent, input.DispatchMouseEventParams{
						Type: input.DispatchMouseEventTypeMouseMoved, X: b.X + b.W*float64(gx)/7, Y: b.Y + b.H*float64(gy)/5,
					})
					if err != nil {
						return err
					}
					*hovered++
				}
			}
		}
		// Wait, by events and not by a sleep, until every image on the page
		// (an injected <img src=x onerror=…> among them) has loaded or
		// failed, so its onerror has run before checkVisit looks.
		_, err = chromedp.Evaluate[int](imagesSettledJS, chromedp.EvalAwaitPromise)(ctx, tg)
		return err
	})
}

// imagesSettledJS resolves once every image of the page has fired load or
// error (handlers on the element run first), then one task later.
const imagesSettledJS = `new Promise(function (resolve) {
  var pending = Array.from(document.images).filter(function (i) { return !i.complete; });
  var left = pending.length;
  var finish = function () { setTimeout(function () { resolve(pending.length); }, 0); };
  if (left === 0) { finish(); return; }
  pending.forEach(function (i) {
    var done = function () { if (--left === 0) { finish(); } };
    i.addEventListener('load', done, {once: true});
    i.addEventListener('error', done, {once: true});
  });
})`

// TestInjectionInBrowser opens every page of the hostile project, shows
// every tooltip and hovers every chart: no dialog may open, no console
// error, no request (an injected <img src=x> would fail as one).
func TestInjectionInBrowser(t *testing.T) {
	bctx := newBrowser(t)
	out := buildInto(t, build.Options{Source: hostileProject(t, false, hostileMarkdown)})
	for _, p := range sitePages(t, out) {
		t.Run(p, func(t *testing.T) {
			var states []chartState
			var tips tooltips
			hovered := 0
			u := fileURL(filepath.Join(out, filepath.FromSlash(p)))
			v := openPage(t, bctx, u, waitCharts(&states, chartWait), evaluate(tooltipsJS, &tips), hoverCharts(&hovered))
			checkVisit(t, t.Errorf, u, v, underFile(out))
			if len(states) == 0 {
				t.Skipf("%s: no charts on this page; the static checks cover its HTML", p)
			}
			if tips.Shown == 0 || hovered == 0 {
				t.Errorf("%s: showed %d tooltips, hovered %d points: the attack was not tried", p, tips.Shown, hovered)
			}
			// Tooltips showed hostile names (steps, segments or periods) as text.
			if !strings.Contains(tips.Text, "alert('") {
				t.Errorf("%s: no tooltip showed a hostile name; tooltips read:\n%.500s", p, tips.Text)
			}
		})
	}
}
