package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/skipgroup"
)

// The page shell in a real browser (issue 15 B): layout at a desktop and
// a phone width, the phone menu, dark mode, the charts' CSV action, print
// layout and the printed PDF, and axe-core's accessibility rules. One
// browser serves every subtest; the Russian example and the English Olist
// example are each built once.

// kindPages picks one page of every kind of a built site (the body's
// kind-… class): the latest period page, and of other kinds the first
// page with a chart (else the first page).
func kindPages(t *testing.T, out string) map[string]string {
	t.Helper()
	kindRe := regexp.MustCompile(`<body class="kind-([a-z]+)"`)
	pages := map[string]string{}
	charted := map[string]bool{}
	for _, p := range sitePages(t, out) {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		m := kindRe.FindSubmatch(b)
		if m == nil {
			continue
		}
		k := string(m[1])
		have, ok := pages[k]
		switch {
		case !ok, k == "period": // sitePages is sorted: the last period is the latest
			pages[k] = p
		case !charted[have] && bytes.Contains(b, []byte(`class="chart"`)):
			pages[k] = p // a page of the kind that has charts
		}
		charted[p] = bytes.Contains(b, []byte(`class="chart"`))
	}
	for _, k := range []string{"home", "period", "stage", "segment", "dimension", "trends", "data"} {
		if pages[k] == "" {
			t.Errorf("%s: no page of kind %q", out, k)
		}
	}
	return pages
}

// sortedKinds lists a kindPages map's kinds in a stable order.
func sortedKinds(pages map[string]string) []string {
	ks := make([]string, 0, len(pages))
	for k := range pages {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// viewport sets the window's CSS size.
func viewport(w, h int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1})
		return err
	})
}

// colorScheme emulates prefers-color-scheme ("" for the default).
func colorScheme(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var f []*emulation.MediaFeature
		if s != "" {
			f = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}}
		}
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: f})
		return err
	})
}

// overflowJS lists every element wider than its container, and every
// designated scroll area (.table-wrap) that scrolls without showing a
// hint. What ECharts draws inside a chart and what scrolls inside a
// scroll area are not checked; hidden and positioned elements neither.
const overflowJS = `(function () {
  var out = [];
  function desc(e) {
    var s = e.tagName.toLowerCase();
    if (e.id) { s += '#' + e.id; }
    if (typeof e.className === 'string' && e.className) { s += '.' + e.className.trim().split(/\s+/).join('.'); }
    return s;
  }
  var root = document.documentElement, vw = root.clientWidth;
  if (root.scrollWidth > vw + 1) { out.push('the page scrolls sideways: ' + root.scrollWidth + ' > ' + vw); }
  document.querySelectorAll('.table-wrap').forEach(function (w) {
    if (w.clientWidth > 0 && w.scrollWidth > w.clientWidth + 1) {
      var h = w.previousElementSibling;
      if (!(w.classList.contains('scrolls') && h && h.classList.contains('scroll-hint') && h.getBoundingClientRect().height > 0)) {
        out.push('scroll area with no hint: ' + desc(w) + ' ' + (w.querySelector('caption') || {}).textContent);
      }
    }
  });
  document.querySelectorAll('body *').forEach(function (e) {
    var p = e.parentElement;
    if (!p || p.closest('.table-wrap, .chart, svg') || /^(SCRIPT|STYLE|BR|OPTION)$/.test(e.tagName)) { return; }
    var cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.position === 'absolute' || cs.position === 'fixed') { return; }
    var r = e.getBoundingClientRect(), pr = p.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || pr.width === 0) { return; }
    if (r.right > pr.right + 1 || r.left < pr.left - 1) {
      out.push(desc(e) + ' (' + Math.round(r.width) + ' px) is wider than ' + desc(p) + ' (' + Math.round(pr.width) + ' px): "' + (e.textContent || '').trim().slice(0, 40) + '"');
    }
  });
  return out;
})()`

// menuJS opens the phone menu and reports what a reader sees.
const menuJS = `(function () {
  var m = document.querySelector('.menu-toggle'), nav = document.getElementById('site-nav');
  if (!m || !nav) { return {toggle: !!m, nav: !!nav}; }
  var before = getComputedStyle(nav).display;
  var shown = getComputedStyle(m).display !== 'none';
  m.click();
  var r = nav.getBoundingClientRect();
  var link = nav.querySelector('a');
  var res = {toggle: true, nav: true, toggleShown: shown, before: before, after: getComputedStyle(nav).display,
    expanded: m.getAttribute('aria-expanded'), navTop: Math.round(r.top), navWidth: Math.round(r.width),
    linkVisible: !!link && link.getBoundingClientRect().height > 0 && link.getBoundingClientRect().top < innerHeight,
    focusInNav: nav.contains(document.activeElement)};
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
  res.closed = getComputedStyle(nav).display;
  res.focusBack = document.activeElement === m;
  return res;
})()`

type menuState struct {
	Toggle, Nav, ToggleShown bool
	Before, After, Closed    string
	Expanded                 string
	NavTop, NavWidth         int
	LinkVisible, FocusInNav  bool
	FocusBack                bool
}

// themeJS reports the page's colours and the charts' theme: the ground
// behind the text, the text, and for every drawn chart whether its theme
// is dark (ECharts' darkMode) and the colour of its first axis's labels.
const themeJS = `(function () {
  var cs = getComputedStyle(document.body);
  var axis = Array.from(document.querySelectorAll('.chart[id]')).map(function (el) {
    var c = window.echarts && echarts.getInstanceByDom(el);
    if (!c) { return ''; }
    var o = c.getOption(), ax = [].concat(o.yAxis || [], o.xAxis || [])[0];
    return (o.darkMode === true ? 'dark ' : 'light ') + (ax && ax.axisLabel && ax.axisLabel.color ? String(ax.axisLabel.color) : '(no axis)');
  });
  return {bg: cs.backgroundColor, ink: cs.color, pressed: (document.querySelector('.theme-toggle') || {getAttribute: function () { return ''; }}).getAttribute('aria-pressed'), axis: axis};
})()`

type themeState struct {
	BG      string   `json:"bg"`
	Ink     string   `json:"ink"`
	Pressed string   `json:"pressed"`
	Axis    []string `json:"axis"`
}

// luminance of a CSS rgb()/rgba() colour, 0 (black) … 1 (white).
func luminance(css string) float64 {
	nums := regexp.MustCompile(`[\d.]+`).FindAllString(css, -1)
	if len(nums) < 3 {
		return -1
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseFloat(nums[i], 64)
		v /= 255
		if v <= 0.03928 {
			c[i] = v / 12.92
		} else {
			c[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func TestShell(t *testing.T) {
	bctx := newBrowser(t)
	sites := []struct{ name, out string }{
		{"ru", buildInto(t, build.Options{Source: exampleRoot})},
		{"en", buildInto(t, build.Options{Source: filepath.Join(exampleRoot, "examples", "olist")})},
	}
	t.Run("axe-catches", func(t *testing.T) { checkAxeCatches(t, bctx) })
	t.Run("overflow-catches", func(t *testing.T) {
		// Not vacuous: an element wider than its box and a scroll box with
		// no hint must be reported.
		dir := writeProject(t, map[string]string{"index.html": `<!DOCTYPE html><html><body><main style="width:300px">
<p style="width:500px">too wide</p>
<div class="table-wrap" style="overflow-x:auto"><table style="white-space:nowrap"><caption>wide</caption><tr><td>` + strings.Repeat("wide ", 80) + `</td></tr></table></div>
</main></body></html>`})
		var bad []string
		openPage(t, bctx, fileURL(filepath.Join(dir, "index.html")), viewport(390, 900), evaluate(overflowJS, &bad))
		got := strings.Join(bad, "\n")
		for _, w := range []string{`p (500 px) is wider than main (300 px): "too wide"`, "scroll area with no hint: div.table-wrap wide", "the page scrolls sideways"} {
			if !strings.Contains(got, w) {
				t.Errorf("overflow check missed %q; it reported:\n%s", w, got)
			}
		}
	})
	for _, site := range sites {
		pages := kindPages(t, site.out)
		for _, kind := range sortedKinds(pages) {
			p := pages[kind]
			url := fileURL(filepath.Join(site.out, filepath.FromSlash(p)))
			t.Run(site.name+"/"+kind+"/layout", func(t *testing.T) {
				for _, w := range []int64{1440, 390} {
					var states []chartState
					var bad []string
					var menu menuState
					acts := []chromedp.Action[chromedp.Void]{viewport(w, 900), chromedp.Navigate(url), waitCharts(&states, chartWait), evaluate(overflowJS, &bad)}
					if w == 390 {
						acts = append(acts, evaluate(menuJS, &menu))
					}
					v := openPage(t, bctx, "about:blank", acts...)
					checkVisit(t, t.Errorf, url, v, func(u string) bool { return u == "about:blank" || underFile(site.out)(u) })
					for _, b := range bad {
						t.Errorf("%s at %d px: %s", p, w, b)
					}
					for _, s := range states {
						if !s.Instance || !s.drawn() {
							t.Errorf("%s at %d px: chart %s not drawn after scrolling to it: %+v", p, w, s.ID, s)
						}
					}
					if w == 390 {
						switch {
						case !menu.Toggle || !menu.Nav:
							t.Errorf("%s: no menu button or no navigation: %+v", p, menu)
						case !menu.ToggleShown || menu.Before != "none" || menu.After == "none" || menu.Expanded != "true" ||
							!menu.LinkVisible || menu.NavWidth < 300 || !menu.FocusInNav:
							t.Errorf("%s at 390 px: the menu does not open as a panel: %+v", p, menu)
						case menu.Closed != "none" || !menu.FocusBack:
							t.Errorf("%s at 390 px: Escape does not close the menu and return focus: %+v", p, menu)
						}
					}
				}
			})
			if kind != "home" && kind != "period" && kind != "stage" && kind != "trends" {
				continue // the other kinds' dark colours are checked by axe below
			}
			t.Run(site.name+"/"+kind+"/dark", func(t *testing.T) {
				var states []chartState
				var light, dark, toggled, remembered themeState
				openPage(t, bctx, "about:blank",
					viewport(1280, 900), colorScheme(""), chromedp.Navigate(url), waitCharts(&states, chartWait), evaluate(themeJS, &light),
					colorScheme("dark"), chromedp.Navigate(url), waitCharts(&states, chartWait), evaluate(themeJS, &dark),
					// The toggle overrides the system and is remembered.
					evaluate(`document.querySelector('.theme-toggle').click(); true`, new(bool)), evaluate(themeJS, &toggled),
					chromedp.Navigate(url), waitCharts(&states, chartWait), evaluate(themeJS, &remembered),
					evaluate(`localStorage.removeItem('funnel-theme'); true`, new(bool)),
					colorScheme(""),
				)
				if l := luminance(light.BG); l < 0.9 {
					t.Errorf("%s: light ground %s", p, light.BG)
				}
				if l := luminance(dark.BG); l > 0.05 || luminance(dark.Ink) < 0.6 || dark.Pressed != "true" {
					t.Errorf("%s: prefers-color-scheme: dark does not apply: ground %s, text %s, toggle pressed %s", p, dark.BG, dark.Ink, dark.Pressed)
				}
				for i, a := range dark.Axis {
					if !strings.HasPrefix(a, "dark ") || a == light.Axis[i] || !strings.HasPrefix(light.Axis[i], "light ") {
						t.Errorf("%s: chart %d keeps its light axis labels in dark mode (%q, light %q)", p, i, a, light.Axis[i])
					}
				}
				if luminance(toggled.BG) < 0.9 || toggled.Pressed != "false" || luminance(remembered.BG) < 0.9 {
					t.Errorf("%s: the toggle does not switch to light and stay so: after the click %s, after a reload %s", p, toggled.BG, remembered.BG)
				}
				for i, a := range toggled.Axis {
					if a != light.Axis[i] {
						t.Errorf("%s: chart %d not redrawn light by the toggle: %q, light %q", p, i, a, light.Axis[i])
					}
				}
			})
			if kind == "period" || kind == "stage" || kind == "trends" || kind == "home" {
				t.Run(site.name+"/"+kind+"/csv", func(t *testing.T) { checkCSVActions(t, bctx, site.out, p) })
			}
			if kind == "period" || kind == "home" || kind == "trends" {
				t.Run(site.name+"/"+kind+"/print", func(t *testing.T) { checkPrintWidth(t, bctx, url) })
			}
			if kind == "period" {
				t.Run(site.name+"/"+kind+"/pdf", func(t *testing.T) { checkPDFPages(t, bctx, url) })
			}
		}
		t.Run(site.name+"/axe", func(t *testing.T) { checkAxe(t, bctx, site.out, pages) })
	}
}

// optionNumbers reads a chart's option from the page file and returns
// the numbers the chart shows: bar and line values, funnel counts (not
// their drawing widths), heatmap cell values, box plot values and both
// coordinates of a scatter point (one of them is its category's index),
// and the value of every reference line (a target drawn as a mark line).
func optionNumbers(t *testing.T, html []byte, id string) (nums [][]float64) {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" id="` + regexp.QuoteMeta(id) + `-option">(.*?)</script>`)
	m := re.FindSubmatch(html)
	if m == nil {
		t.Fatalf("no option for %s", id)
	}
	var opt struct {
		Series []struct {
			Type       string            `json:"type"`
			Data       []json.RawMessage `json:"data"`
			ValueLabel bool              `json:"valueLabel"` // labels only: not a number of its own
			MarkLine   struct {
				Data []struct {
					X *float64 `json:"xAxis"`
					Y *float64 `json:"yAxis"`
				} `json:"data"`
			} `json:"markLine"`
		} `json:"series"`
	}
	if err := json.Unmarshal(m[1], &opt); err != nil {
		t.Fatal(err)
	}
	for _, s := range opt.Series {
		if s.ValueLabel {
			continue
		}
		for _, ml := range s.MarkLine.Data {
			for _, v := range []*float64{ml.X, ml.Y} {
				if v != nil {
					nums = append(nums, []float64{*v})
				}
			}
		}
		for _, d := range s.Data {
			var item struct {
				Value any      `json:"value"`
				Count *float64 `json:"count"`
			}
			if json.Unmarshal(d, &item) != nil {
				continue
			}
			switch v := item.Value.(type) {
			case float64:
				if item.Count != nil {
					v = *item.Count
				}
				nums = append(nums, []float64{v})
			case []any:
				var fs []float64
				for _, x := range v {
					if f, ok := x.(float64); ok {
						fs = append(fs, f)
					}
				}
				switch s.Type {
				case "heatmap":
					nums = append(nums, fs[2:3])
				case "scatter":
					if len(fs) == 2 { // ["-", i] is a point with no value
						nums = append(nums, fs) // either coordinate
					}
				default:
					for _, f := range fs {
						nums = append(nums, []float64{f})
					}
				}
			}
		}
	}
	return nums
}

// checkCSVActions clicks every chart's CSV button on a page, waits for the
// browser's download, and checks the file holds that chart's numbers:
// every number the chart draws is a cell of the CSV, and the CSV has no
// number the chart does not draw. The table action must show as many rows,
// and the PNG action must save a PNG picture.
func checkCSVActions(t *testing.T, bctx context.Context, out, p string) {
	html, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	ids := regexp.MustCompile(`<div class="chart" id="([^"]+)"`).FindAllSubmatch(html, -1)
	if len(ids) == 0 {
		t.Skipf("%s has no chart", p)
	}
	dir := t.TempDir()
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()
	done := make(chan string, 1)
	names := make(chan string, 1)
	chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			names <- ev.SuggestedFilename
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				done <- filepath.Join(dir, ev.GUID)
			}
		}
	})
	yes := true
	var states []chartState
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, derr := cdp.Call(ctx, tg, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &yes})
			return derr
		}),
		chromedp.Navigate(fileURL(filepath.Join(out, filepath.FromSlash(p)))),
		waitCharts(&states, chartWait),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ids {
		id := string(m[1])
		click := fmt.Sprintf(`(function () { var b = document.getElementById(%q).closest('.chart-box').querySelector('button[data-act="csv"]');
  if (!b || b.offsetParent === null) { return false; } b.click(); return true; })()`, id)
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](click))
		if err != nil {
			t.Fatal(err)
		}
		if !shown {
			t.Errorf("%s: chart %s has no visible CSV button", p, id)
			continue
		}
		var file, name string
		select {
		case name = <-names:
			file = <-done
		case <-ctx.Done():
			t.Fatalf("%s: chart %s: no download", p, id)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".csv") {
			t.Errorf("%s: chart %s: download named %q", p, id, name)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: chart %s: CSV does not parse: %v\n%s", p, id, err, b)
		}
		cells := map[float64]bool{}
		for _, r := range rows[1:] {
			for _, c := range r[1:] {
				if c == "" {
					continue
				}
				f, perr := strconv.ParseFloat(c, 64)
				if perr != nil {
					t.Errorf("%s: chart %s: CSV cell %q is not a number", p, id, c)
				}
				cells[f] = true
			}
		}
		want := optionNumbers(t, html, id)
		drawn := map[float64]bool{}
		for _, alts := range want {
			found := false
			for _, f := range alts {
				drawn[f] = true
				found = found || cells[f]
			}
			if !found {
				t.Errorf("%s: chart %s: CSV lacks the number %v\n%s", p, id, alts, b)
			}
		}
		for f := range cells {
			if !drawn[f] {
				t.Errorf("%s: chart %s: CSV has %v, which the chart does not draw", p, id, f)
			}
		}
		if len(want) == 0 || len(rows) < 2 {
			t.Errorf("%s: chart %s: CSV has %d rows for %d numbers", p, id, len(rows), len(want))
		}
		// The table action shows the same rows as a table.
		table := fmt.Sprintf(`(function () { var box = document.getElementById(%q).closest('.chart-box');
  box.querySelector('button[data-act="table"]').click();
  var panel = box.querySelector('.chart-table');
  return panel.hidden ? -1 : panel.querySelectorAll('tbody tr').length; })()`, id)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](table))
		if err != nil {
			t.Fatal(err)
		}
		if n != len(rows)-1 {
			t.Errorf("%s: chart %s: the table action shows %d rows, the CSV has %d", p, id, n, len(rows)-1)
		}
	}
	// The funnel bars (HTML, no ECharts) offer their numbers too: the CSV
	// holds each step's count as the bars print it, and the table action
	// shows one row per step.
	if bytes.Contains(html, []byte(`class="chart-data"`)) {
		const clickBars = `(function () { var b = document.querySelector('.fbars .chart-actions button[data-act="csv"]');
  if (!b || b.offsetParent === null) { return []; } b.click();
  return Array.from(document.querySelectorAll('.fbars .fb-num strong')).map(function (e) { return e.textContent.replace(/\D/g, ''); }); })()`
		printed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](clickBars))
		if err != nil {
			t.Fatal(err)
		}
		if len(printed) == 0 {
			t.Errorf("%s: the funnel bars have no visible CSV button", p)
		} else {
			var file string
			select {
			case <-names:
				file = <-done
			case <-ctx.Done():
				t.Fatalf("%s: funnel bars: no download", p)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
			if err != nil || len(rows) != len(printed)+1 {
				t.Fatalf("%s: funnel bars CSV: %v, %d rows for %d steps\n%s", p, err, len(rows), len(printed), b)
			}
			for i, want := range printed {
				if len(rows[i+1]) < 2 || rows[i+1][1] != want {
					t.Errorf("%s: funnel bars CSV row %d is %q; the bars print the count %s", p, i+1, rows[i+1], want)
				}
			}
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(function () { var box = document.querySelector('.fbars');
  box.querySelector('button[data-act="table"]').click(); var panel = box.querySelector('.chart-table');
  return panel.hidden ? -1 : panel.querySelectorAll('tbody tr').length; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if n != len(printed) {
				t.Errorf("%s: the funnel bars' table action shows %d rows for %d steps", p, n, len(printed))
			}
		}
	}
	// The PNG action saves ECharts' own picture of the first chart.
	png := fmt.Sprintf(`(function () { document.getElementById(%q).closest('.chart-box').querySelector('button[data-act="png"]').click(); return true; })()`, string(ids[0][1]))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](png)); err != nil {
		t.Fatal(err)
	}
	select {
	case name := <-names:
		file := <-done
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".png") || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) < 2000 {
			t.Errorf("%s: the PNG action saved %q, %d bytes, not a chart picture", p, name, len(b))
		}
	case <-ctx.Done():
		t.Fatalf("%s: the PNG action downloaded nothing", p)
	}
}

// printWidthJS reports, under print media, the width of the content
// column and, for every chart, its container's and its drawing's width.
const printWidthJS = `(function () {
  window.dispatchEvent(new Event('beforeprint'));
  var main = document.querySelector('main');
  return {content: main.clientWidth, charts: Array.from(document.querySelectorAll('.chart[id]')).map(function (el) {
    var c = echarts.getInstanceByDom(el);
    return {id: el.id, box: el.getBoundingClientRect().width, drawn: c ? c.getWidth() : 0};
  })};
})()`

type printWidths struct {
	Content float64 `json:"content"`
	Charts  []struct {
		ID    string  `json:"id"`
		Box   float64 `json:"box"`
		Drawn float64 `json:"drawn"`
	} `json:"charts"`
}

// checkPrintWidth emulates print at the A4 width (794 px) and asserts
// every chart, box and drawing, is at least 95% of the content width.
func checkPrintWidth(t *testing.T, bctx context.Context, url string) {
	var w printWidths
	openPage(t, bctx, "about:blank", viewport(794, 1123), chromedp.Navigate(url), media("print"), evaluate(printWidthJS, &w), media(""))
	if w.Content < 600 || w.Content > 794 {
		t.Errorf("%s: printed content column is %.0f px", url, w.Content)
	}
	for _, c := range w.Charts {
		if c.Box < 0.95*w.Content || c.Drawn < 0.95*w.Content {
			t.Errorf("%s: printed chart %s is %.0f px (drawn %.0f px) of %.0f px", url, c.ID, c.Box, c.Drawn, w.Content)
		}
	}
	if len(w.Charts) == 0 {
		t.Errorf("%s: no chart measured", url)
	}
}

// checkPDFPages prints a page to PDF as `funnel pdf` does (A4, every
// chart drawn first), renders each PDF page with pdftoppm and asserts no
// page but the last is more than half empty: the last row with ink in
// the text area must lie in its lower half.
func checkPDFPages(t *testing.T, bctx context.Context, url string) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		skipgroup.PDF.Skip(t, "pdftoppm not installed")
	}
	var pdf []byte
	openPage(t, bctx, url, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](`(function () { window.dispatchEvent(new Event('beforeprint')); return true; })()`)(ctx, tg); err != nil {
			return err
		}
		yes := true
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
		if err != nil {
			return err
		}
		pdf = res.Data
		return nil
	}))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-gray", "-r", "30", filepath.Join(dir, "p.pdf"), filepath.Join(dir, "pg")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "pg-*.png"))
	sort.Slice(files, func(i, j int) bool { return pageNo(files[i]) < pageNo(files[j]) })
	if len(files) < 2 {
		t.Fatalf("%s: %d printed pages", url, len(files))
	}
	// The text area of A4 with print.css's margins: 16 mm top, 18 mm bottom.
	for i, f := range files[:len(files)-1] {
		img := readPNG(t, f)
		h := img.Bounds().Dy()
		top, bottom := h*16/297, h-h*18/297
		last := lastInkRow(img, top, bottom)
		if fill := float64(last-top) / float64(bottom-top); fill < 0.5 {
			t.Errorf("%s: printed page %d of %d is more than half empty (content ends at %.0f%% of the text area)", url, i+1, len(files), 100*fill)
		}
	}
}

func pageNo(f string) int {
	m := regexp.MustCompile(`-(\d+)\.png$`).FindStringSubmatch(f)
	n, _ := strconv.Atoi(m[1])
	return n
}

func readPNG(t *testing.T, f string) image.Image {
	t.Helper()
	r, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// lastInkRow is the lowest row in [top, bottom) with a pixel darker than
// light grey, or top when there is none.
func lastInkRow(img image.Image, top, bottom int) int {
	b := img.Bounds()
	for y := bottom - 1; y >= top; y-- {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, b.Min.Y+y).RGBA()
			if (r+g+bl)/3 < 0xc800 {
				return y
			}
		}
	}
	return top
}

// axeRunJS runs axe-core's WCAG 2.1 A and AA rules on the page (with every
// chart's table opened, so the tables site.js makes are checked too) and
// returns the serious and critical violations, one line per node.
const axeRunJS = `(function () {
  document.querySelectorAll('.chart-actions button[data-act="table"]').forEach(function (b) { b.click(); });
  return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
    .then(function (r) {
      var out = [];
      r.violations.forEach(function (v) {
        if (v.impact !== 'serious' && v.impact !== 'critical') { return; }
        v.nodes.forEach(function (n) { out.push(v.impact + ' ' + v.id + ' ' + n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ')); });
      });
      return out;
    });
})()`

// axeFindings opens url, draws every chart, injects axe-core and runs it
// once per colour scheme in schemes (the same page, re-emulated), and
// returns the serious and critical violations, each prefixed by its
// scheme.
func axeFindings(t *testing.T, bctx context.Context, url string, width int64, schemes ...string) []string {
	t.Helper()
	axeJS, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	openPage(t, bctx, "about:blank", viewport(width, 900), chromedp.Navigate(url),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Evaluate[bool]("(window.funnelDrawAll && funnelDrawAll(), true)")(ctx, tg); err != nil {
				return err
			}
			if _, err := chromedp.Evaluate[bool](string(axeJS)+";true")(ctx, tg); err != nil {
				return err
			}
			for _, scheme := range schemes {
				if _, err := colorScheme(scheme)(ctx, tg); err != nil {
					return err
				}
				got, err := chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise)(ctx, tg)
				if err != nil {
					return err
				}
				for _, g := range got {
					found = append(found, scheme+": "+g)
				}
			}
			return nil
		}),
		colorScheme(""))
	return found
}

// checkAxeCatches proves the axe run is not vacuous: the three defects
// issue 15 found (the old amber at 3.6:1, an unnamed task checkbox, a
// scroll box a keyboard cannot reach) must each be reported.
func checkAxeCatches(t *testing.T, bctx context.Context) {
	dir := writeProject(t, map[string]string{"index.html": `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>
<p style="color:#b7791f;background:#fff">amber text</p>
<ul><li><input disabled="" type="checkbox"> a task</li></ul>
<div style="overflow-x:auto;width:100px"><table style="white-space:nowrap"><tr><td>` + strings.Repeat("wide ", 60) + `</td></tr></table></div>
</main></body></html>`})
	got := strings.Join(axeFindings(t, bctx, fileURL(filepath.Join(dir, "index.html")), 1280, "light"), "\n")
	for _, w := range []string{"light: serious color-contrast", "light: critical label", "light: serious scrollable-region-focusable"} {
		if !strings.Contains(got, w) {
			t.Errorf("axe missed %q; it reported:\n%s", w, got)
		}
	}
}

// checkAxe runs axe-core on every kind of page, light and dark, and
// asserts no serious or critical violation. axe-core is a test asset
// (testdata/axe), injected into the page; the site never ships it.
func checkAxe(t *testing.T, bctx context.Context, out string, pages map[string]string) {
	for _, kind := range sortedKinds(pages) {
		url := fileURL(filepath.Join(out, filepath.FromSlash(pages[kind])))
		for _, f := range axeFindings(t, bctx, url, 1280, "light", "dark") {
			t.Errorf("%s (%s): %s", pages[kind], kind, f)
		}
		if kind == "period" { // and as a phone shows it: tables laid out as blocks
			for _, f := range axeFindings(t, bctx, url, 390, "light") {
				t.Errorf("%s (%s, 390 px): %s", pages[kind], kind, f)
			}
		}
	}
}
