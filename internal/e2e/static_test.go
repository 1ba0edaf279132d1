package e2e

import (
	"encoding/json"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/gen"
)

// htmlPage is one parsed output page.
type htmlPage struct {
	Path string // slash path relative to the site root
	Root *html.Node
}

// parsePages parses every HTML page of a built site.
func parsePages(t *testing.T, out string) []htmlPage {
	t.Helper()
	var pages []htmlPage
	for _, p := range sitePages(t, out) {
		f, err := os.Open(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		root, err := html.Parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		pages = append(pages, htmlPage{Path: p, Root: root})
	}
	return pages
}

// walk calls fn for every element below n, in document order.
func walk(n *html.Node, fn func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			fn(c)
		}
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// text is the concatenated text below n (for script elements, the raw body).
func text(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

// ids lists the id attributes of a page.
func ids(root *html.Node) map[string]bool {
	seen := map[string]bool{}
	walk(root, func(n *html.Node) {
		if id, ok := attr(n, "id"); ok {
			seen[id] = true
		}
	})
	return seen
}

// urlAttrs are the attributes that load or link a URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true, "data": true, "srcset": true}

// checkLinks asserts every internal link of every page resolves to a file
// of the site (not a folder: file:// serves no index.html for a folder),
// with its #fragment present on the target page, and that no link is
// root-relative (those break under file://).
func checkLinks(t *testing.T, errorf errorfFunc, out string) {
	t.Helper()
	pages := parsePages(t, out)
	idsOf := map[string]map[string]bool{}
	for _, p := range pages {
		idsOf[p.Path] = ids(p.Root)
	}
	for _, p := range pages {
		walk(p.Root, func(n *html.Node) {
			for _, a := range n.Attr {
				if !urlAttrs[a.Key] || (a.Key == "data" && n.DataAtom != atom.Object) {
					continue
				}
				checkLink(t, errorf, out, p.Path, n, a.Val, idsOf)
			}
		})
	}
}

func checkLink(t *testing.T, errorf errorfFunc, out, from string, n *html.Node, ref string, idsOf map[string]map[string]bool) {
	t.Helper()
	tag := n.Data
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		errorf("%s: <%s> bad URL %q: %v", from, tag, ref, err)
		return
	}
	switch {
	case u.Scheme == "mailto" || u.Scheme == "tel":
		return
	case tag == "link" && ref == "data:,":
		// The empty icon (head.html): it stops the browser asking the
		// server for /favicon.ico.
		return
	case u.Scheme == "http" || u.Scheme == "https":
		if loadsResource(n) {
			errorf("%s: <%s> loads %q from the network: the site must work offline", from, tag, ref)
		}
		return
	case u.Scheme != "" || u.Host != "":
		errorf("%s: <%s> link %q: unexpected scheme", from, tag, ref)
		return
	case strings.HasPrefix(u.Path, "/"):
		errorf("%s: <%s> link %q is root-relative: breaks under file://", from, tag, ref)
		return
	}
	target := from
	if u.Path != "" {
		target = path.Join(path.Dir(from), u.Path)
		if target == ".." || strings.HasPrefix(target, "../") {
			errorf("%s: <%s> link %q leaves the site", from, tag, ref)
			return
		}
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(target)))
		if err != nil {
			errorf("%s: <%s> link %q: %s does not exist", from, tag, ref, target)
			return
		}
		if st.IsDir() {
			errorf("%s: <%s> link %q names a folder: name its index.html (file:// has no index)", from, tag, ref)
			return
		}
	}
	if u.Fragment != "" && strings.HasSuffix(target, ".html") && !idsOf[target][u.Fragment] {
		errorf("%s: <%s> link %q: no id %q on %s", from, tag, ref, u.Fragment, target)
	}
}

// loadsResource tells an element whose URL the browser fetches as part of
// the page (a script, style, image, frame…), as opposed to a link the
// reader may follow or metadata (<a>, <link rel=canonical>).
func loadsResource(n *html.Node) bool {
	switch n.DataAtom {
	case atom.A, atom.Area, atom.Form:
		return false
	case atom.Link:
		for _, rel := range strings.Fields(strings.ToLower(attrOr(n, "rel"))) {
			switch rel {
			case "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon", "mask-icon":
				return true
			}
		}
		return false
	}
	return true
}

var cssURL = regexp.MustCompile(`(?i)(url\(\s*['"]?|@import\s+['"])\s*(https?:|//)`)

// checkOffline asserts no script, style, image or font of the site comes
// from the network: every src/href of script, link, img, iframe, source
// and every url()/@import in CSS (files and style attributes) is local.
func checkOffline(t *testing.T, errorf errorfFunc, out string) {
	t.Helper()
	remote := func(v string) bool {
		v = strings.ToLower(strings.TrimSpace(v))
		return strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "//")
	}
	for _, p := range parsePages(t, out) {
		walk(p.Root, func(n *html.Node) {
			for _, a := range n.Attr {
				switch {
				case a.Key == "style" && cssURL.MatchString(a.Val):
					errorf("%s: <%s style> loads from the network: %q", p.Path, n.Data, a.Val)
				case !loadsResource(n):
				case (a.Key == "src" || a.Key == "href" || a.Key == "srcset" || a.Key == "poster") && remote(a.Val):
					errorf("%s: <%s %s=%q> loads from the network", p.Path, n.Data, a.Key, a.Val)
				}
			}
			if n.DataAtom == atom.Style && cssURL.MatchString(text(n)) {
				errorf("%s: <style> loads from the network", p.Path)
			}
		})
	}
	for _, f := range siteFiles(t, out, ".css") {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if m := cssURL.Find(b); m != nil {
			errorf("%s: loads from the network: %q", f, m)
		}
	}
	for _, f := range siteFiles(t, out, ".js") {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		// The site script must not fetch data at view time (docs/design.md §5).
		if strings.HasPrefix(path.Base(f), "site") && regexp.MustCompile(`\b(fetch|XMLHttpRequest|importScripts)\b`).Match(b) {
			errorf("%s: fetches at view time", f)
		}
	}
}

// checkInert asserts no user text became markup that runs: scripts are
// only the site's own files and JSON option blocks (valid JSON, with no
// raw '<' that could close the element), no element has an on* handler,
// no URL attribute uses javascript:, vbscript: or data:text/html, and no
// option carries go-echarts' "__f__" function marker.
func checkInert(t *testing.T, errorf errorfFunc, out string) {
	t.Helper()
	for _, p := range parsePages(t, out) {
		walk(p.Root, func(n *html.Node) {
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					errorf("%s: <%s %s=%q>: event handler attribute", p.Path, n.Data, a.Key, a.Val)
				}
				if urlAttrs[key] || key == "xlink:href" {
					v := strings.ToLower(strings.Join(strings.FieldsFunc(a.Val, func(r rune) bool { return r <= ' ' }), ""))
					for _, bad := range []string{"javascript:", "vbscript:", "data:text/html"} {
						if strings.HasPrefix(v, bad) {
							errorf("%s: <%s %s=%q>: script URL", p.Path, n.Data, a.Key, a.Val)
						}
					}
				}
			}
			switch n.DataAtom {
			case atom.Iframe, atom.Object, atom.Embed, atom.Base, atom.Form:
				errorf("%s: unexpected <%s> element", p.Path, n.Data)
			case atom.Script:
				checkScript(t, errorf, p.Path, n)
			}
		})
	}
}

// siteScript matches the script files a page may load: the site's own.
var siteScript = regexp.MustCompile(`^(\.\./)*assets/[a-z0-9.-]+\.js$`)

func checkScript(t *testing.T, errorf errorfFunc, from string, n *html.Node) {
	t.Helper()
	typ, _ := attr(n, "type")
	src, hasSrc := attr(n, "src")
	body := text(n)
	switch {
	case hasSrc:
		if !siteScript.MatchString(src) || strings.TrimSpace(body) != "" {
			errorf("%s: unexpected <script src=%q>%s", from, src, body)
		}
	case typ == "application/json":
		if strings.Contains(body, "<") {
			errorf("%s: JSON block %q has a raw '<' (must be \\u003c): %.200s", from, attrOr(n, "id"), body)
		}
		if strings.Contains(body, "__f__") {
			errorf("%s: JSON block %q carries a __f__ function marker", from, attrOr(n, "id"))
		}
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			errorf("%s: JSON block %q: %v", from, attrOr(n, "id"), err)
		}
	default:
		errorf("%s: unexpected inline <script type=%q>%.200s", from, typ, body)
	}
}

func attrOr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// chartOptions decodes every chart option block of a page, by chart id;
// a block that is not JSON is left out (checkInert reports it).
func chartOptions(p htmlPage) map[string]any {
	opts := map[string]any{}
	walk(p.Root, func(n *html.Node) {
		id := attrOr(n, "id")
		if n.DataAtom != atom.Script || attrOr(n, "type") != "application/json" || !strings.HasSuffix(id, "-option") {
			return
		}
		var v any
		if json.Unmarshal([]byte(text(n)), &v) != nil {
			return
		}
		opts[strings.TrimSuffix(id, "-option")] = v
	})
	return opts
}

// chartContainers lists the ids of the chart containers of a page.
func chartContainers(p htmlPage) []string {
	var list []string
	walk(p.Root, func(n *html.Node) {
		if id, ok := attr(n, "id"); ok && hasClass(n, "chart") {
			list = append(list, id)
		}
	})
	return list
}

// checkCharts asserts every chart container has its option block and the
// site has charts at all (else the browser checks would assert nothing).
func checkCharts(t *testing.T, errorf errorfFunc, out string) {
	t.Helper()
	total := 0
	for _, p := range parsePages(t, out) {
		opts := chartOptions(p)
		for _, id := range chartContainers(p) {
			total++
			if _, ok := opts[id]; !ok {
				errorf("%s: chart %q has no %s-option block", p.Path, id, id)
			}
		}
	}
	if total == 0 {
		errorf("%s: no chart containers (.chart[id]) in the whole site", out)
	}
}

// errorfFunc reports one problem; t.Errorf in tests, a collector in the
// checkers' own tests.
type errorfFunc func(format string, args ...any)

// checkSite runs every file check on a built site.
func checkSite(t *testing.T, out string) {
	t.Helper()
	t.Run("links", func(t *testing.T) { checkLinks(t, t.Errorf, out) })
	t.Run("offline", func(t *testing.T) { checkOffline(t, t.Errorf, out) })
	t.Run("inert", func(t *testing.T) { checkInert(t, t.Errorf, out) })
	t.Run("charts", func(t *testing.T) { checkCharts(t, t.Errorf, out) })
}

func TestExampleSite(t *testing.T) { checkSite(t, buildExample(t)) }

// TestGeneratedSite checks a generated project with commentary for every
// page kind (periods, stages, segments), so new page kinds are held to
// the same rules as they land.
func TestGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Spec{Periods: 6, Dims: 2, Values: 3, Steps: 7, Commentary: true, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	checkSite(t, buildInto(t, build.Options{Source: dir}))
}
