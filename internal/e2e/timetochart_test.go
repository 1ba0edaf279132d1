package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// onePage is the anchor of BenchmarkTimeToCharts: one bar chart with the
// site's own ECharts script, nothing else.
const onePage = `<!doctype html><meta charset="utf-8"><title>one chart</title>
<div class="chart" id="one" style="width:600px;height:400px"></div>
<script src="assets/echarts.min.js"></script>
<script>echarts.init(document.querySelector(".chart")).setOption({xAxis: {type: "category", data: ["a", "b", "c"]}, yAxis: {}, series: [{type: "bar", data: [3, 2, 1]}]});</script>
`

// chartsInView holds once the page has loaded and every chart in the
// first screen has a canvas or an SVG (lazy charts below it are drawn on
// scrolling, issue 14; the home page's first screen is the hero and the
// funnel, which are HTML).
const chartsInView = `(() => {
  const els = [...document.querySelectorAll(".chart[id]")].filter(e => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; });
  return document.readyState === "complete" && els.every(e => e.querySelector("canvas, svg"));
})()`

// BenchmarkTimeToCharts is issue 14's time until the home page's charts
// are drawn, from file://, against a one-chart page with the same script
// (the bar: within 1.5×). Each page is opened from a blank tab; the time
// runs from the navigation to the first moment every chart in view is
// drawn, polled every 2 ms over CDP (the same overhead on both sides).
func BenchmarkTimeToCharts(b *testing.B) {
	bctx := newBrowser(b)
	out := buildExample(b)
	if err := os.WriteFile(filepath.Join(out, "one-chart.html"), []byte(onePage), 0o644); err != nil {
		b.Fatal(err)
	}
	measure := func(name string) time.Duration {
		if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := chromedp.Do(bctx, chromedp.Navigate(fileURL(filepath.Join(out, name)))); err != nil {
			b.Fatal(err)
		}
		for {
			if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](chartsInView)); err == nil && ok {
				return time.Since(start)
			}
			if time.Since(start) > time.Minute {
				b.Fatalf("%s: the charts in view were not drawn within a minute", name)
			}
			time.Sleep(2 * time.Millisecond) // polling the page, not waiting for an event
		}
	}
	var home, one []float64
	for b.Loop() {
		home = append(home, float64(measure("index.html").Microseconds())/1e3)
		one = append(one, float64(measure("one-chart.html").Microseconds())/1e3)
	}
	slices.Sort(home)
	slices.Sort(one)
	h, o := home[len(home)/2], one[len(one)/2]
	b.ReportMetric(h, "home-ms")
	b.ReportMetric(o, "one-chart-ms")
	b.ReportMetric(h/o, "home/one-chart")
}
