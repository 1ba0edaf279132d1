// Package onefile folds one page of a rendered site into a single HTML
// file with no external reference of any kind: style sheets, scripts and
// images are inlined, links to pages the file does not hold are marked
// (never left broken), and the site's navigation, which would lead
// nowhere, is left out. The result opens from an email attachment or
// file:// with no network, and its charts stay interactive.
package onefile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/funnel-report/funnel/internal/site"
)

// Options say what to fold and what to add.
type Options struct {
	// Page is the site-root path of the page to fold
	// ("periods/2025-q3/index.html").
	Page string
	// Cover, when set, is put before the page: a title page and a table
	// of contents linking the page's sections (for the PDF).
	Cover *Cover
}

// Cover is a title page.
type Cover struct {
	Title, Subtitle, Client string
	// Logo is an image file of the project (PNG, JPEG, SVG), or nil.
	Logo     []byte
	LogoName string
	// Contents is the heading of the table of contents.
	Contents string
}

// dropped are the site's navigation blocks: every link in them leads to
// another page, so in a file of one page they are noise.
var dropped = []string{"site-nav", "switcher", "crumbs", "latest-badge", "menu-toggle"}

// Fold returns opts.Page of files as one self-contained HTML document.
// It fails when the page, or a style sheet, script or image it uses, is
// not among files.
func Fold(files []site.File, opts Options) ([]byte, error) {
	byPath := make(map[string][]byte, len(files))
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	src, ok := byPath[opts.Page]
	if !ok {
		return nil, fmt.Errorf("single file: no page %s in the site", opts.Page)
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("single file: parse %s: %w", opts.Page, err)
	}
	f := &folder{files: byPath, page: opts.Page}
	f.walk(doc)
	if f.err != nil {
		return nil, f.err
	}
	if head := find(doc, atom.Head); head != nil {
		head.AppendChild(textEl("style", atom.Style, singleCSS))
	}
	// A one-file report is mailed, saved and printed: site.js draws all of
	// its charts at once instead of as they scroll into view.
	if h := find(doc, atom.Html); h != nil {
		setAttr(h, "data-eager-charts", "")
	}
	if opts.Cover != nil {
		if err = addCover(doc, opts.Cover); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err = html.Render(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type folder struct {
	files map[string][]byte
	page  string
	err   error
}

func (f *folder) fail(format string, args ...any) {
	if f.err == nil {
		f.err = fmt.Errorf("single file: "+format, args...)
	}
}

// resolve turns a page-relative reference into a site-root path; ok is
// false for absolute URLs, fragments and data: URIs.
func (f *folder) resolve(ref string) (p, frag string, ok bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") || u.Path == "" {
		return "", "", false
	}
	if strings.HasPrefix(u.Path, "/") {
		return strings.TrimPrefix(path.Clean(u.Path), "/"), u.Fragment, true
	}
	return path.Join(path.Dir(f.page), u.Path), u.Fragment, true
}

func (f *folder) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if hasClass(c, dropped...) {
				n.RemoveChild(c)
				c = next
				continue
			}
			switch c.DataAtom {
			case atom.Link:
				f.link(n, c)
			case atom.Meta:
				if p := attr(c, "property"); p == "og:url" {
					n.RemoveChild(c)
				}
			case atom.Script:
				f.script(c)
			case atom.Img:
				f.img(c)
			case atom.A:
				f.anchor(c)
			}
		}
		if c.Parent != nil {
			f.walk(c)
		}
		c = next
	}
}

// link inlines a style sheet and drops links to the outside (canonical).
func (f *folder) link(parent, n *html.Node) {
	href := attr(n, "href")
	switch rel := attr(n, "rel"); {
	case rel == "stylesheet":
		p, _, ok := f.resolve(href)
		if !ok {
			f.fail("style sheet %q is not part of the site", href)
			return
		}
		css, found := f.files[p]
		if !found {
			f.fail("style sheet %s not found", p)
			return
		}
		style := &html.Node{Type: html.ElementNode, Data: "style", DataAtom: atom.Style}
		if m := attr(n, "media"); m != "" {
			style.Attr = []html.Attribute{{Key: "media", Val: m}}
		}
		style.AppendChild(&html.Node{Type: html.TextNode, Data: f.inlineURLs(string(css), p)})
		parent.InsertBefore(style, n)
		parent.RemoveChild(n)
	case strings.HasPrefix(href, "data:"):
	default:
		parent.RemoveChild(n)
	}
}

// cssURL finds url(…) references in a style sheet.
var cssURL = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)

// inlineURLs turns the style sheet's relative url(…)s into data: URIs.
func (f *folder) inlineURLs(css, sheet string) string {
	return cssURL.ReplaceAllStringFunc(css, func(m string) string {
		ref := cssURL.FindStringSubmatch(m)[1]
		if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
			return m
		}
		p := path.Join(path.Dir(sheet), ref)
		b, ok := f.files[p]
		if !ok {
			f.fail("%s: url(%s) not found", sheet, ref)
			return m
		}
		return "url(" + dataURI(p, b) + ")"
	})
}

// script inlines a script file. A script body must not contain "</script"
// or "<!--" (the HTML parser would end or confuse the element): both are
// escaped the JavaScript-neutral way.
func (f *folder) script(n *html.Node) {
	src := attr(n, "src")
	if src == "" {
		return
	}
	p, _, ok := f.resolve(src)
	if !ok {
		f.fail("script %q is not part of the site", src)
		return
	}
	js, found := f.files[p]
	if !found {
		f.fail("script %s not found", p)
		return
	}
	delAttr(n, "src")
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: ScriptSafe(string(js))})
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)|<!--`)

// ScriptSafe escapes what would end or confuse an inline <script>.
func ScriptSafe(js string) string {
	return scriptEnd.ReplaceAllStringFunc(js, func(m string) string {
		if m == "<!--" {
			return `<\!--`
		}
		return `<\/` + m[2:]
	})
}

func (f *folder) img(n *html.Node) {
	src := attr(n, "src")
	p, _, ok := f.resolve(src)
	if !ok {
		if !strings.HasPrefix(src, "data:") {
			// An image on the web would be a request leaving the file.
			markOffline(n, "src")
		}
		return
	}
	b, found := f.files[p]
	if !found {
		f.fail("image %s not found", p)
		return
	}
	setAttr(n, "src", dataURI(p, b))
}

// anchor keeps links within the page as fragments and marks links to
// other pages of the site, which the file does not hold.
func (f *folder) anchor(n *html.Node) {
	href := attr(n, "href")
	if href == "" || strings.HasPrefix(href, "#") {
		return
	}
	p, frag, ok := f.resolve(href)
	if !ok {
		return // a link to the web stays a link
	}
	if p == f.page {
		setAttr(n, "href", "#"+frag)
		return
	}
	markOffline(n, "href")
}

// markOffline turns a link to something the file does not hold into plain
// text marked as such.
func markOffline(n *html.Node, key string) {
	delAttr(n, key)
	if n.DataAtom == atom.A {
		n.Data, n.DataAtom = "span", atom.Span
		delAttr(n, "rel")
		delAttr(n, "aria-current")
	}
	setAttr(n, "class", strings.TrimSpace(attr(n, "class")+" offline-link"))
	setAttr(n, "title", "not in this file")
}

// dataURI inlines a file; its type comes from the file name.
func dataURI(name string, b []byte) string {
	typ := mime.TypeByExtension(path.Ext(name))
	if typ == "" {
		typ = "application/octet-stream"
	}
	typ, _, _ = strings.Cut(typ, ";")
	return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func delAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key || a.Namespace != "" {
			out = append(out, a)
		}
	}
	n.Attr = out
}

func hasClass(n *html.Node, names ...string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		for _, want := range names {
			if c == want {
				return true
			}
		}
	}
	return false
}

// find returns the first element below n with the atom a, or nil.
func find(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
		if m := find(c, a); m != nil {
			return m
		}
	}
	return nil
}

// headings returns the h2 elements below n in document order.
func headings(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.H2 {
			out = append(out, c)
			continue
		}
		out = headings(c, out)
	}
	return out
}

// text is the text content of n.
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
	return strings.Join(strings.Fields(b.String()), " ")
}

func el(tag string, a atom.Atom, attrs ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: a}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
	}
	return n
}

func textEl(tag string, a atom.Atom, s string, attrs ...string) *html.Node {
	n := el(tag, a, attrs...)
	n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
	return n
}

// singleCSS gives the page the whole width the navigation column had.
const singleCSS = `.layout{grid-template-columns:minmax(0,1fr);max-width:66rem}.layout>main{grid-column:1}.offline-link{color:inherit}`

// coverCSS lays out the title page and the contents for print; on screen
// they read as the top of the document.
const coverCSS = `.doc-cover{min-height:60vh;display:flex;flex-direction:column;justify-content:center;gap:6mm;margin-bottom:8mm}
.doc-cover h1{font-size:26pt;margin:0}.doc-cover .subtitle{font-size:16pt;margin:0}.doc-cover .client{font-size:13pt;margin:0;color:#444}
.doc-cover img{max-width:60mm;max-height:30mm;object-fit:contain;align-self:flex-start}
.doc-toc ol{font-size:12pt;line-height:1.8}.doc-toc a{color:inherit}
@media print{.site-header{display:none}.doc-cover{height:240mm;min-height:0;margin:0;break-after:page}.doc-toc{break-after:page}}`

// addCover puts a title page and a linked table of contents (the page's
// h2 sections, each given an id) at the top of <main>.
func addCover(doc *html.Node, c *Cover) error {
	main := find(doc, atom.Main)
	head := find(doc, atom.Head)
	if main == nil || head == nil {
		return fmt.Errorf("single file: the page has no <main> to put a cover on")
	}
	head.AppendChild(textEl("style", atom.Style, coverCSS))
	cover := el("section", atom.Section, "class", "doc-cover")
	if len(c.Logo) > 0 {
		cover.AppendChild(el("img", atom.Img, "src", dataURI(c.LogoName, c.Logo), "alt", ""))
	}
	cover.AppendChild(textEl("h1", atom.H1, c.Title))
	if c.Subtitle != "" {
		cover.AppendChild(textEl("p", atom.P, c.Subtitle, "class", "subtitle"))
	}
	if c.Client != "" {
		cover.AppendChild(textEl("p", atom.P, c.Client, "class", "client"))
	}
	toc := el("nav", atom.Nav, "class", "doc-toc")
	toc.AppendChild(textEl("h2", atom.H2, c.Contents, "class", "toc-title"))
	list := el("ol", atom.Ol)
	for i, h := range headings(main, nil) {
		id := attr(h, "id")
		if id == "" {
			id = "sec-" + strconv.Itoa(i+1)
			setAttr(h, "id", id)
		}
		li := el("li", atom.Li)
		li.AppendChild(textEl("a", atom.A, text(h), "href", "#"+id))
		list.AppendChild(li)
	}
	toc.AppendChild(list)
	main.InsertBefore(toc, main.FirstChild)
	main.InsertBefore(cover, toc)
	return nil
}
