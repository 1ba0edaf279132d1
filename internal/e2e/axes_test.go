package e2e

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/build"
)

// Axes and labels as a reader sees them (issue 15, items 3 and 7), read
// from the drawn charts: every value axis ticks on round steps (1, 2, 2.5
// or 5 × 10ⁿ — never 0/30/60/90), money axes print compact amounts with
// their currency (3 млн ₽, $3M), no two texts of a chart overlap, and
// the step-conversion bars' value labels cover no mark, at a desktop and
// a phone width.

// axesJS draws every chart and reports, per chart, each axis's tick
// values and labels and the texts that overlap another text.
const axesJS = `(function () {
  if (window.funnelDrawAll) { funnelDrawAll(); }
  var out = [];
  document.querySelectorAll('.chart[id]').forEach(function (el) {
    var c = window.echarts && echarts.getInstanceByDom(el);
    if (!c) { return; }
    var m = c.getModel(), r = {id: el.id, fmt: el.getAttribute('data-format') || '', axes: [], overlaps: []};
    ['xAxis', 'yAxis'].forEach(function (k) {
      m.eachComponent(k, function (ax) {
        var a = ax.axis;
        r.axes.push({dim: k, type: a.type, ticks: a.scale.getTicks().map(function (t) { return t.value; }),
          labels: a.getViewLabels().map(function (l) { return String(l.formattedLabel); })});
      });
    });
    var texts = [];
    c.getZr().storage.getDisplayList(true).forEach(function (e) {
      if ((e.type !== 'text' && e.type !== 'tspan') || e.invisible || e.ignore || !e.style || !e.style.text) { return; }
      var b = e.getBoundingRect().clone();
      if (e.transform) { b.applyTransform(e.transform); }
      texts.push({t: String(e.style.text), b: b});
    });
    for (var i = 0; i < texts.length; i++) {
      for (var j = i + 1; j < texts.length; j++) {
        var a = texts[i].b, b = texts[j].b;
        var ox = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        var oy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        if (ox > 1 && oy > 1) { r.overlaps.push(JSON.stringify(texts[i].t) + ' over ' + JSON.stringify(texts[j].t)); }
      }
    }
    // A labels-only series (the step-conversion chart's rates): no label
    // may cover a mark of another series (bar, interval box, reference).
    function rect(e) { var b = e.getBoundingRect().clone(); if (e.transform) { b.applyTransform(e.transform); } return b; }
    function hit(a, b) { return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1; }
    var lab = m.getSeries().filter(function (s) { return s.option.valueLabel; })[0];
    if (lab) {
      var marks = [];
      m.getSeries().forEach(function (s) {
        if (s === lab) { return; }
        var d = s.getData();
        d.each(function (i) { var g = d.getItemGraphicEl(i); if (g) { marks.push({n: s.name + ' #' + i, b: rect(g)}); } });
      });
      var ld = lab.getData();
      r.labels = 0;
      ld.each(function (i) {
        // A scatter point is a group around its symbol path, which holds the label.
        var g = ld.getItemGraphicEl(i), sym = g && g.childAt ? g.childAt(0) || g : g;
        var tc = sym && sym.getTextContent && sym.getTextContent();
        if (!tc || tc.ignore || tc.invisible || !tc.style || !tc.style.text) { return; }
        r.labels++;
        var b = rect(tc);
        marks.forEach(function (mk) { if (hit(b, mk.b)) { r.overlaps.push('value label ' + JSON.stringify(tc.style.text) + ' over ' + mk.n); } });
      });
    }
    out.push(r);
  });
  return out;
})()`

type chartAxes struct {
	ID   string `json:"id"`
	Fmt  string `json:"fmt"`
	Axes []struct {
		Dim    string    `json:"dim"`
		Type   string    `json:"type"`
		Ticks  []float64 `json:"ticks"`
		Labels []string  `json:"labels"`
	} `json:"axes"`
	Overlaps []string `json:"overlaps"`
	Labels   int      `json:"labels"` // value labels drawn (labels-only series)
}

// niceTicks says why ticks are not evenly spaced on a round step, or "".
func niceTicks(ticks []float64) string {
	if len(ticks) < 2 {
		return ""
	}
	step := ticks[1] - ticks[0]
	for i := 2; i < len(ticks); i++ {
		if d := ticks[i] - ticks[i-1]; math.Abs(d-step) > 1e-9*math.Max(1, math.Abs(step)) {
			return fmt.Sprintf("uneven steps %g and %g", step, d)
		}
	}
	if step <= 0 {
		return fmt.Sprintf("step %g", step)
	}
	m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-12))
	for _, ok := range []float64{1, 2, 2.5, 5, 10} {
		if math.Abs(m-ok) < 1e-6 {
			return ""
		}
	}
	return fmt.Sprintf("step %g is not 1, 2, 2.5 or 5 × 10ⁿ", step)
}

var (
	groupedNum = regexp.MustCompile(`^−?\d{1,3}([\x{a0}\x{202f} ]\d{3})+([^\d]|$)`)
	fourDigits = regexp.MustCompile(`^−?\d{4}([^\d,.]|$)`)
)

// compactMoney is a compact amount with its unit: 3 млн ₽, 250 тыс. ₽, $3M, $250K.
var compactMoney = regexp.MustCompile(`^−?(\$?[\d,.\x{a0}]+(\x{a0}(млрд|млн|тыс\.))?(bn|M|K)?(\x{a0}\S+)?)$`)

func checkAxes(t *testing.T, where string, cs []chartAxes) (labels int) {
	t.Helper()
	for _, c := range cs {
		labels += c.Labels
		for _, a := range c.Axes {
			if a.Type != "value" {
				continue
			}
			if why := niceTicks(a.Ticks); why != "" {
				t.Errorf("%s: chart %s %s: ticks %v (%q): %s", where, c.ID, a.Dim, a.Ticks, a.Labels, why)
			}
			// One axis is one column: «5 000» beside «10 000», never «5000».
			grouped, four := "", ""
			for _, l := range a.Labels {
				if groupedNum.MatchString(l) {
					grouped = l
				}
				if fourDigits.MatchString(l) {
					four = l
				}
			}
			if grouped != "" && four != "" {
				t.Errorf("%s: chart %s %s: %q ungrouped beside %q", where, c.ID, a.Dim, four, grouped)
			}
			if !strings.HasPrefix(c.Fmt, "money:") {
				continue
			}
			cur := strings.TrimPrefix(c.Fmt, "money:")
			for i, l := range a.Labels {
				v := a.Ticks[min(i, len(a.Ticks)-1)]
				big := math.Abs(v) >= 1000
				if !strings.Contains(l, cur) || !compactMoney.MatchString(l) ||
					(big && !regexp.MustCompile(`млрд|млн|тыс\.|bn|M|K`).MatchString(l)) {
					t.Errorf("%s: chart %s: money axis label %q (tick %g) is not a compact amount in %s", where, c.ID, l, v, cur)
				}
			}
		}
		for _, o := range c.Overlaps {
			t.Errorf("%s: chart %s: texts overlap: %s", where, c.ID, o)
		}
	}
	return labels
}

func TestAxes(t *testing.T) {
	if why := niceTicks([]float64{0, 30, 60, 90}); why == "" {
		t.Error("niceTicks accepts 0/30/60/90")
	}
	if why := niceTicks([]float64{3.5, 4, 6, 7.5}); why == "" {
		t.Error("niceTicks accepts 3,5/4/6/7,5")
	}
	if why := niceTicks([]float64{0, 0.025, 0.05, 0.075}); why != "" {
		t.Errorf("niceTicks refuses 0/2,5/5/7,5%%: %s", why)
	}
	bctx := newBrowser(t)
	t.Run("catches", func(t *testing.T) {
		// Not vacuous: two texts drawn over each other are reported.
		dir := writeProject(t, map[string]string{"index.html": `<!DOCTYPE html><html><body>
<script src="` + fileURL(filepath.Join(exampleRoot, "internal", "assets", "dist", "echarts.min.js")) + `"></script>
<div class="chart" id="c" style="width:300px;height:200px"></div>
<script>echarts.init(document.getElementById('c')).setOption({animation: false, graphic: [
  {type: 'text', left: 10, top: 10, style: {text: 'Осведомлённость', fontSize: 14}},
  {type: 'text', left: 30, top: 14, style: {text: 'Рассмотрение', fontSize: 14}}]});</script></body></html>`})
		var cs []chartAxes
		openPage(t, bctx, fileURL(filepath.Join(dir, "index.html")), evaluate(axesJS, &cs))
		if len(cs) != 1 || len(cs[0].Overlaps) != 1 {
			t.Errorf("overlapping texts not reported: %+v", cs)
		}
	})
	for _, site := range []struct{ name, out string }{
		{"ru", buildInto(t, build.Options{Source: exampleRoot})},
		{"en", buildInto(t, build.Options{Source: filepath.Join(exampleRoot, "examples", "olist")})},
	} {
		// Every page kind at both widths; every stage page (their small
		// multiples hold the metric, money and duration axes) too.
		pages := map[string]bool{}
		for _, p := range kindPages(t, site.out) {
			pages[p] = true
		}
		for _, p := range sitePages(t, site.out) {
			if strings.HasPrefix(p, "stages/") {
				pages[p] = true
			}
		}
		for p := range pages {
			t.Run(site.name+"/"+p, func(t *testing.T) {
				for _, w := range []int64{1440, 390} {
					var cs []chartAxes
					openPage(t, bctx, "about:blank", viewport(w, 900), chromedp.Navigate(fileURL(filepath.Join(site.out, filepath.FromSlash(p)))), evaluate(axesJS, &cs))
					n := checkAxes(t, fmt.Sprintf("%s at %d px", p, w), cs)
					// The step-conversion chart of a period page labels its bars.
					if strings.Contains(p, "periods/") && n == 0 {
						t.Errorf("%s at %d px: the step-conversion bars have no value labels", p, w)
					}
				}
			})
		}
	}
}
