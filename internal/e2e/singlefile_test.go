package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/testproject"
)

// singleFileAlone writes the example's one-file report for period into a
// folder that holds nothing else, and returns its path.
func singleFileAlone(t *testing.T, o build.Options) string {
	t.Helper()
	b, _, err := build.SingleFile(o, build.SingleOptions{})
	if err != nil {
		t.Fatalf("single file: %v", err)
	}
	p := filepath.Join(t.TempDir(), "report.html")
	if err = os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The one-file report references nothing: no attribute naming a URL and
// no url() in a style sheet that is not a fragment, a data: URI or a
// link to the web (a hyperlink in commentary stays one).
func TestSingleFileHasNoExternalReference(t *testing.T) {
	p := singleFileAlone(t, build.Options{Source: testproject.CopyExample(t), Period: "2025-Q3"})
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	cssURL := regexp.MustCompile(`url\(\s*['"]?([^'")]*)`)
	check := func(what, u string) {
		if !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "data:") {
			t.Errorf("%s %q leaves the file", what, u)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "src", "srcset", "poster", "data", "action", "formaction", "background":
					check("<"+n.Data+" "+a.Key+">", a.Val)
				case "href":
					if n.Data != "a" || !strings.HasPrefix(a.Val, "https://") {
						check("<"+n.Data+" href>", a.Val)
					}
				case "style":
					for _, m := range cssURL.FindAllStringSubmatch(a.Val, -1) {
						check("style url()", m[1])
					}
				}
			}
			if n.Data == "style" && n.FirstChild != nil {
				for _, m := range cssURL.FindAllStringSubmatch(n.FirstChild.Data, -1) {
					check("style sheet url()", m[1])
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, want := range []string{"III квартал 2025", `class="chart"`, "echarts.init", "offline-link"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the one-file report lacks %q", want)
		}
	}
}

// The one-file report, opened from file:// in a folder with nothing else
// in it, draws every chart, and no request leaves the page.
func TestSingleFileInBrowser(t *testing.T) {
	bctx := newBrowser(t)
	p := singleFileAlone(t, build.Options{Source: testproject.CopyExample(t)})
	self := fileURL(p)
	allowed := func(u string) bool { return u == self || strings.HasPrefix(u, "data:") }
	var states []chartState
	v := openPage(t, bctx, self, waitCharts(&states, chartWait))
	// The period page's script charts; its funnel is HTML bars.
	if len(states) < 4 {
		t.Errorf("%d charts in the one-file report, want the period page's (at least 4)", len(states))
	}
	for _, s := range states {
		if !s.Instance || !s.drawn() {
			t.Errorf("chart %s not drawn: %+v", s.ID, s)
		}
	}
	checkVisit(t, t.Errorf, self, v, allowed)
}
