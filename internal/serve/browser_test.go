//go:build linux

package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/testproject"
)

// TestBrowserLiveUpdate opens the served example in headless Chromium.
// A commentary save is swapped into the open page in place: the page is
// not loaded again (a mark set on window survives) and its charts stay
// drawn. A save that changes another page leaves this one alone. A change
// outside the commentary (the report's title) reloads it.
func TestBrowserLiveUpdate(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})

	// Every chart in view: none waits to be scrolled to.
	bctx := newChromium(t, chromedp.WindowSize(1440, 6000))
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(ts.url), chromedp.WaitVisible("section.commentary"))
	if err != nil {
		t.Fatalf("open the home page: %v", err)
	}
	// patchedAt: when the page swapped the commentary in, in ms since 1970.
	if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.sameLoad = true;
		document.addEventListener("funnel:patched", function () { window.patchedAt = performance.timeOrigin + performance.now(); });
		true`)); err != nil {
		t.Fatal(err)
	}
	// The stream is open once the server counts a subscriber.
	waitFor(ctx, t, "the page to subscribe to reload events", func() bool {
		ts.hub.mu.Lock()
		defer ts.hub.mu.Unlock()
		return len(ts.hub.subs) > 0
	})
	until := func(what, js string) {
		t.Helper()
		waitFor(ctx, t, what, func() bool {
			// Evaluating fails while a page is being replaced: ask again.
			v, evalErr := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			return evalErr == nil && v
		})
	}
	charts := `document.querySelectorAll(".chart canvas, .chart svg").length`
	until("the charts drawn", charts+" > 0")
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](charts))
	if err != nil {
		t.Fatal(err)
	}

	saved := time.Now()
	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\n## Правка на месте\n\nТекст из теста.\n")
	until("the new commentary in the same page", `window.sameLoad === true && document.querySelector("section.commentary").innerText.includes("Правка на месте")`)
	// Logged, never asserted: docs/design.md (serve) quotes it.
	if at, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.patchedAt || 0`)); err == nil && at > 0 {
		t.Logf("commentary saved → patched in the page: %.0f ms", at-float64(saved.UnixMicro())/1e3)
	}
	if after, err := chromedp.Run(ctx, chromedp.Evaluate[int](charts)); err != nil || after != drawn {
		t.Errorf("charts drawn before the patch %d, after %d (%v)", drawn, after, err)
	}

	// Another page's commentary: this page neither reloads nor changes,
	// and keeps listening (the next edit below still reaches it).
	writeProject(t, dir, "content/periods/2025-Q4.md", "---\ntitle: 2025-Q4\n---\nДругая страница.\n")
	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\n## Вторая правка\n")
	until("the second edit in the same page", `window.sameLoad === true && document.querySelector("section.commentary").innerText.includes("Вторая правка")`)

	cfg := readProject(t, dir, "funnel.yaml")
	if !strings.Contains(cfg, "ХимПромСнаб — воронка B2B-клиентов") {
		t.Fatal("the example's title changed: update this test")
	}
	writeProject(t, dir, "funnel.yaml", strings.Replace(cfg, "ХимПромСнаб — воронка B2B-клиентов", "ХимПромСнаб — новая воронка", 1))
	until("a reload after a change outside the commentary", `window.sameLoad !== true && document.body.innerText.includes("ХимПромСнаб — новая воронка")`)
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
