package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/skipgroup"
)

// chromiumPath finds the browser: $CHROMIUM, else chromium on PATH.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile for the test
// and returns its context; the browser is closed when the test ends. The
// test is skipped only when no chromium is installed, and then as the
// skip group "browser" that `make test` lists (and that fails instead when
// FUNNEL_REQUIRE_BROWSER is set, as in CI).
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		skipgroup.Browser.Skip(t, "no chromium on PATH and no $CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // we run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	return bctx
}

// visit is what happened while a page was open.
type visit struct {
	mu       sync.Mutex
	errors   []string // console errors, uncaught exceptions, error log entries
	requests []string // every URL requested
	failed   []string // failed requests and HTTP errors
	dialogs  []string // alert/confirm/prompt that opened
}

func (v *visit) add(list *[]string, format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	*list = append(*list, fmt.Sprintf(format, args...))
}

// openPage opens url in a new tab of the browser, records console errors,
// exceptions, requests, failures and dialogs (dismissing dialogs), and
// runs actions once the page has loaded. The tab is closed on return.
func openPage(t *testing.T, bctx context.Context, pageURL string, actions ...chromedp.Action[chromedp.Void]) *visit {
	t.Helper()
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	v := &visit{}
	var urls sync.Map // request id → URL
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					if a.Value != nil {
						parts = append(parts, string(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				v.add(&v.errors, "console.%s: %s", ev.Type, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			v.add(&v.errors, "uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				v.add(&v.errors, "log: %s (%s)", ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			urls.Store(ev.RequestID, ev.Request.URL)
			v.add(&v.requests, "%s", ev.Request.URL)
		case *network.EventLoadingFailed:
			u, _ := urls.Load(ev.RequestID)
			v.add(&v.failed, "%v: %s", u, ev.ErrorText)
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				v.add(&v.failed, "%s: HTTP %d", ev.Response.URL, int(ev.Response.Status))
			}
		case *page.EventJavascriptDialogOpening:
			v.add(&v.dialogs, "%s(%q)", ev.Type, ev.Message)
			// The dialog blocks the page; dismiss it from another goroutine
			// (the listener must not call the browser).
			go func() { _, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{}) }()
		}
	})
	if err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	// chromedp enables the Runtime, Log, Network and Page domains itself.
	if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(pageURL)}, actions...)...); err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	return v
}

// chartState is what the browser shows in one chart container.
type chartState struct {
	ID       string `json:"id"`
	Width    int    `json:"w"`
	Height   int    `json:"h"`
	Instance bool   `json:"instance"` // echarts.getInstanceByDom found one
	Kind     string `json:"kind"`     // "canvas", "svg" or ""
	Painted  int    `json:"painted"`  // sampled pixels unlike the background, or SVG shapes
	Samples  int    `json:"samples"`  // pixels sampled (0 for SVG)
	Err      string `json:"err"`
}

// chartsJS reports every .chart[id] container: an ECharts instance, and
// whether its canvas has pixels other than the background colour (sampled
// on a grid) or its SVG has drawn shapes.
const chartsJS = `Array.from(document.querySelectorAll('.chart[id]')).map(function (el) {
  var r = {id: el.id, w: el.clientWidth, h: el.clientHeight, kind: '', painted: 0, samples: 0, err: '',
    instance: !!(window.echarts && echarts.getInstanceByDom(el))};
  var cv = el.querySelector('canvas'), svg = el.querySelector('svg');
  if (cv) {
    r.kind = 'canvas';
    try {
      var d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      for (var i = 0; i < d.length; i += 4 * 13) {
        r.samples++;
        if (d[i] !== d[0] || d[i+1] !== d[1] || d[i+2] !== d[2] || d[i+3] !== d[3]) { r.painted++; }
      }
    } catch (e) { r.err = String(e); }
  } else if (svg) {
    r.kind = 'svg';
    r.painted = svg.querySelectorAll('path, rect, circle, polyline, polygon, text').length;
  }
  return r;
})`

// drawn tells a chart that shows data: on a canvas at least 1% of the
// sampled pixels differ from the background (a lone title paints 0.16%,
// the example's funnel 7%); in SVG at least 10 shapes.
func (s chartState) drawn() bool {
	if s.Kind == "canvas" {
		return s.Samples > 0 && s.Painted*100 >= s.Samples
	}
	return s.Painted >= 10
}

// chartWait is how long a chart may take to be drawn (ECharts animates;
// a loaded CI machine is slow).
const chartWait = 10 * time.Second

// scrollToUndrawnJS scrolls the first chart with no ECharts instance yet
// into view, as a reader scrolling down would: charts below the fold are
// drawn only when they come near the screen (site.js, lazy drawing).
const scrollToUndrawnJS = `(function () {
  var el = Array.from(document.querySelectorAll('.chart[id]')).find(function (el) {
    return !(window.echarts && echarts.getInstanceByDom(el)); });
  if (el) { el.scrollIntoView({block: 'center'}); }
  return true;
})()`

// waitCharts polls until every chart is drawn or wait has passed, and
// returns the last state seen. Between polls it scrolls the next chart
// not yet drawn into view.
func waitCharts(states *[]chartState, wait time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		deadline := time.Now().Add(wait)
		for {
			if _, err := chromedp.Evaluate[bool](scrollToUndrawnJS)(ctx, tg); err != nil {
				return err
			}
			var err error
			if *states, err = chromedp.Evaluate[[]chartState](chartsJS)(ctx, tg); err != nil {
				return err
			}
			done := true
			for _, s := range *states {
				done = done && s.Instance && s.drawn()
			}
			if done || time.Now().After(deadline) {
				return nil
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// evaluate runs a script and stores its result.
func evaluate[T any](js string, into *T) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		*into, err = chromedp.Evaluate[T](js)(ctx, tg)
		return err
	})
}

// media emulates a CSS media type ("" ends the emulation).
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// printJS reports, under print media, the display of every navigation
// element and of every chart container.
const printJS = `(function () {
  var shown = function (sel) { return Array.from(document.querySelectorAll(sel)).map(function (e) {
    return (e.className || e.tagName) + '=' + getComputedStyle(e).display; }); };
  return {siteNav: document.querySelectorAll('.site-nav').length, nav: shown('nav, .site-nav'), charts: shown('.chart[id]')};
})()`

type printState struct {
	SiteNav int      `json:"siteNav"`
	Nav     []string `json:"nav"`
	Charts  []string `json:"charts"`
}

// checkPageInBrowser opens one page, waits for its charts, and asserts:
// every chart drawn, no console error, no failed request, no request off
// the allowed origin, no dialog, and under print media navigation hidden
// and charts kept.
func checkPageInBrowser(t *testing.T, errorf errorfFunc, bctx context.Context, pageURL string, allowed func(string) bool, wait time.Duration) {
	t.Helper()
	var states []chartState
	var print printState
	v := openPage(t, bctx, pageURL,
		waitCharts(&states, wait),
		media("print"),
		evaluate(printJS, &print),
		media(""),
	)
	t.Logf("%s: %d charts: %+v", pageURL, len(states), states)
	for _, s := range states {
		switch {
		case !s.Instance:
			errorf("%s: chart %s: no ECharts instance", pageURL, s.ID)
		case s.Width == 0 || s.Height == 0:
			errorf("%s: chart %s: container is %dx%d", pageURL, s.ID, s.Width, s.Height)
		case !s.drawn():
			errorf("%s: chart %s (%s): blank (%d of %d samples painted) %s", pageURL, s.ID, s.Kind, s.Painted, s.Samples, s.Err)
		}
	}
	checkVisit(t, errorf, pageURL, v, allowed)
	if print.SiteNav == 0 {
		errorf("%s: no .site-nav on the page", pageURL)
	}
	for _, n := range print.Nav {
		if !strings.HasSuffix(n, "=none") {
			errorf("%s: print media shows navigation: %s", pageURL, n)
		}
	}
	for _, c := range print.Charts {
		if strings.HasSuffix(c, "=none") {
			errorf("%s: print media hides a chart: %s", pageURL, c)
		}
	}
}

// checkVisit asserts a quiet visit: no errors, failures, foreign requests
// or dialogs.
func checkVisit(t *testing.T, errorf errorfFunc, pageURL string, v *visit, allowed func(string) bool) {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, e := range v.errors {
		errorf("%s: %s", pageURL, e)
	}
	for _, f := range v.failed {
		errorf("%s: failed request %s", pageURL, f)
	}
	for _, r := range v.requests {
		if !allowed(r) {
			errorf("%s: request leaves the site: %s", pageURL, r)
		}
	}
	for _, d := range v.dialogs {
		errorf("%s: a dialog opened: %s", pageURL, d)
	}
	if len(v.requests) == 0 {
		errorf("%s: no request seen: the network listener is not working", pageURL)
	}
}

// fileURL is the file:// URL of a path.
func fileURL(p string) string {
	abs, _ := filepath.Abs(p)
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// underFile allows only file:// URLs below root.
func underFile(root string) func(string) bool {
	prefix := fileURL(root) + "/"
	return func(u string) bool { return strings.HasPrefix(u, prefix) }
}

// serveSite serves a built site on loopback for the test's duration.
func serveSite(t *testing.T, out string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	return srv
}

// underServer allows only URLs of the test server (loopback).
func underServer(srv *httptest.Server) func(string) bool {
	return func(u string) bool { return strings.HasPrefix(u, srv.URL+"/") }
}

// checkSiteInBrowser opens every page of a built site in the browser, from
// file:// and over HTTP, and checks each.
func checkSiteInBrowser(t *testing.T, out string) {
	t.Helper()
	bctx := newBrowser(t)
	srv := serveSite(t, out)
	for _, p := range sitePages(t, out) {
		t.Run("file/"+p, func(t *testing.T) {
			checkPageInBrowser(t, t.Errorf, bctx, fileURL(filepath.Join(out, filepath.FromSlash(p))), underFile(out), chartWait)
		})
		t.Run("http/"+p, func(t *testing.T) {
			checkPageInBrowser(t, t.Errorf, bctx, srv.URL+"/"+p, underServer(srv), chartWait)
		})
	}
}

func TestExampleSiteInBrowser(t *testing.T) {
	checkSiteInBrowser(t, buildExample(t))
}
