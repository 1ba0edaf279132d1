// Package pdf prints a one-file report to PDF through a headless Chromium
// (chromedp): A4, the print style sheet, a footer with page numbers, a
// document outline (PDF bookmarks) from the headings. It needs a Chromium
// or Chrome installed; without one it fails at once, saying how to
// install one, and it never waits longer than its deadline.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned when no Chromium or Chrome is found.
var ErrNoBrowser = errors.New("no Chromium or Chrome found to print the PDF with: install one " +
	"(Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium, or install Google Chrome; " +
	"Windows: winget install Google.Chrome) or set $CHROMIUM to its path")

// Browser finds a Chromium: $CHROMIUM, else a known name on PATH, else
// the usual install places of macOS and Windows.
func Browser() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	var known []string
	switch runtime.GOOS {
	case "darwin":
		known = []string{"/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"}
	case "windows":
		for _, env := range []string{"ProgramFiles", "ProgramFiles(x86)", "LocalAppData"} {
			if dir := os.Getenv(env); dir != "" {
				known = append(known, filepath.Join(dir, `Google\Chrome\Application\chrome.exe`), filepath.Join(dir, `Chromium\Application\chrome.exe`))
			}
		}
	}
	for _, p := range known {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Timeout bounds one print: starting the browser, drawing, printing.
const Timeout = 2 * time.Minute

// footer is Chromium's footer template: page numbers. Its font size must
// be set here (the template has no style sheet of the page).
const footer = `<div style="font:8pt sans-serif;color:#555;width:100%;text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`

// header is the running head of every page: the document title, which is
// the page's title and the report's ("IV квартал 2025 — …"), so every
// printed page says what report and what period it belongs to.
const header = `<div style="font:8pt sans-serif;color:#555;width:100%;padding:0 14mm;text-align:right"><span class="title"></span></div>`

// drawAll makes every chart draw now, at the printed width and without
// animation: site.js listens to beforeprint (and draws lazily-initialised
// charts then), and two animation frames let zrender paint.
const drawAll = `new Promise(function (done) {
  window.dispatchEvent(new Event("beforeprint"));
  if (window.echarts) {
    document.querySelectorAll(".chart[id]").forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) { c.setOption({animation: false}); c.resize({width: el.clientWidth || 640, animation: {duration: 0}}); }
    });
  }
  requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });
})`

// Print renders the HTML document html (self-contained: it is opened from
// a temporary folder) to PDF with the browser at bin.
func Print(ctx context.Context, bin string, html []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "funnel-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "report.html")
	if err = os.WriteFile(name, html, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // containers and root; the page is our own file
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	var out []byte
	err = chromedp.Do(bctx,
		chromedp.Navigate("file://"+filepath.ToSlash(name)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, eerr := chromedp.Evaluate[bool](drawAll, chromedp.EvalAwaitPromise)(ctx, tg)
			return eerr
		}),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			yes, no := true, false
			res, perr := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{
				PaperWidth: 8.27, PaperHeight: 11.69, // A4; print.css also says so
				PreferCSSPageSize:       &yes,
				PrintBackground:         &no,
				DisplayHeaderFooter:     &yes,
				HeaderTemplate:          header,
				FooterTemplate:          footer,
				GenerateTaggedPDF:       &yes,
				GenerateDocumentOutline: &yes,
			})
			if perr != nil {
				return perr
			}
			out = res.Data
			return nil
		}),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("print with %s: no PDF after %s: %w", bin, Timeout, err)
		}
		return nil, fmt.Errorf("print with %s: %w", bin, err)
	}
	return out, nil
}
