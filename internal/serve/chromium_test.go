package serve

import (
	"context"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/funnel-report/funnel/internal/skipgroup"
)

// newChromium starts headless Chromium with a fresh profile and the
// flags that keep it off the network, for the test; it is closed when the
// test ends. Without chromium the test skips as the "browser" group.
func newChromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		skipgroup.Browser.Skip(t, "no chromium on PATH")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err = chromedp.Do(bctx); err != nil { // starting is slow on a loaded machine: no deadline
		t.Fatalf("start %s: %v", bin, err)
	}
	return bctx
}
