package e2e

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/testproject"
)

// svgState is what a chart container shows with scripts off.
type svgState struct {
	ID     string `json:"id"`
	SVG    bool   `json:"svg"`
	Shapes int    `json:"shapes"`
	Texts  int    `json:"texts"`
	W      int    `json:"w"`
	H      int    `json:"h"`
}

const svgJS = `({echarts: typeof window.echarts !== "undefined", charts: Array.from(document.querySelectorAll('.chart[id]')).map(function (el) {
  var svg = el.querySelector('svg'), r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: el.id, svg: !!svg, shapes: svg ? svg.querySelectorAll('path, rect, circle, polyline, polygon').length : 0,
    texts: svg ? svg.querySelectorAll('text').length : 0, w: Math.round(r.width), h: Math.round(r.height)};
})})`

type noJSPage struct {
	ECharts bool       `json:"echarts"`
	Charts  []svgState `json:"charts"`
}

// openWithoutJS opens a page with script execution off, screenshots it and
// reports its charts.
func openWithoutJS(t *testing.T, bctx context.Context, pageURL string) (noJSPage, []byte) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	var st noJSPage
	var shot []byte
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(pageURL),
		evaluate(svgJS, &st),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			shot, err = chromedp.FullScreenshot(100)(ctx, tg) // 100: PNG
			return err
		}),
	)
	if err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	return st, shot
}

// checkNoJS asserts every chart shows as a drawn SVG with scripts off.
func checkNoJS(t *testing.T, st noJSPage, shot []byte, min int) {
	t.Helper()
	if st.ECharts {
		t.Error("ECharts loaded: scripts were not off")
	}
	if len(st.Charts) < min {
		t.Errorf("%d charts, want at least %d", len(st.Charts), min)
	}
	for _, c := range st.Charts {
		if !c.SVG || c.Shapes < 5 || c.Texts < 2 || c.W < 100 || c.H < 50 {
			t.Errorf("chart %s is not drawn without JavaScript: %+v", c.ID, c)
		}
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 1000 {
		t.Errorf("screenshot is %v", b)
	}
}

// With --prerender, the period page shows every chart as SVG with
// JavaScript off; so does the one-file report.
func TestChartsWithoutJavaScript(t *testing.T) {
	bctx := newBrowser(t)
	// A copy: the SVG cache goes into the project folder.
	src := testproject.CopyExample(t)
	out := buildInto(t, build.Options{Source: src, Prerender: true})
	t.Run("site", func(t *testing.T) {
		st, shot := openWithoutJS(t, bctx, fileURL(filepath.Join(out, "periods", "2025-q3", "index.html")))
		checkNoJS(t, st, shot, 5)
	})
	t.Run("single file", func(t *testing.T) {
		p := singleFileAlone(t, build.Options{Source: src})
		st, shot := openWithoutJS(t, bctx, fileURL(p))
		// Four script charts; the funnel is HTML bars, drawn without any.
		checkNoJS(t, st, shot, 4)
		if b, err := os.ReadFile(p); err != nil || !strings.Contains(string(b), `class="chart-box fbars"`) {
			t.Errorf("the one-file report lacks its funnel bars (%v)", err)
		}
		if dir := os.Getenv("FUNNEL_SCREENSHOTS"); dir != "" { // for a person to look at
			_ = os.WriteFile(filepath.Join(dir, "single-file-nojs.png"), shot, 0o644)
		}
	})
}
