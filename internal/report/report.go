// Package report decides the site's pages: which exist, where they live,
// what each shows and how they link. It holds no HTML; render draws it.
package report

import (
	"fmt"
	"hash/crc32"
	"path"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/site"
)

// Page kinds; each has a template <kind>.html.
const (
	KindHome    = "home"
	KindPeriod  = "period"
	KindStage   = "stage"
	KindSegment = "segment"
	KindTrends  = "trends"
	// KindDimension lists every value of one segment dimension.
	KindDimension = "dimension"
	KindPage      = "page" // a free commentary page
	KindData      = "data"
)

// Kinds lists every page kind.
var Kinds = []string{KindHome, KindPeriod, KindStage, KindSegment, KindDimension, KindTrends, KindPage, KindData}

// Top-level folders the generator uses; a free page cannot take them.
var reserved = map[string]bool{"periods": true, "stages": true, "segments": true, "trends": true, "data": true, "assets": true, "index": true}

// Site is the page model of a whole report.
type Site struct {
	Model *analysis.Model
	Pages []*Page
	Home  *Page
	// PeriodPages are in chronological order; StagePages in journey order.
	PeriodPages  []*Page
	StagePages   []*Page
	SegmentPages []SegmentGroup
	Trends       *Page
	Data         *Page
	// FreePages are ordered by front matter weight, then title.
	FreePages []*Page
	// Downloads are the data page's files (funnel.json and the CSV
	// tables): the same computed model as the pages, for anyone to
	// re-use. When nil, Exports makes them (if set), once the other
	// pages are drawn.
	Downloads []site.File
	Exports   func() ([]site.File, error)
}

// SegmentGroup is one dimension's index page and its segment pages, in
// data order.
type SegmentGroup struct {
	Dim   string
	Index *Page // segments/<dim>/index.html: every value with its numbers
	Pages []*Page
}

// Page is one output page.
type Page struct {
	Kind  string
	Path  string // slash-separated, relative to the site root, ends in index.html
	Title string
	// Period is the period shown (the latest on most pages).
	Period  string
	Segment dataset.Segment
	Stage   string       // stage id, on stage pages
	Dim     string       // the dimension, on dimension index pages
	Doc     *content.Doc // commentary, or nil
	Crumbs  []Link
}

// Link is a labelled page path.
type Link struct {
	Label string
	Path  string
}

// Rel returns the URL of target (a site-root path) relative to the page,
// so the site works from file:// and under any subpath.
func (p *Page) Rel(target string) string {
	return strings.Repeat("../", p.Depth()) + target
}

// Depth is how many folders the page is below the root.
func (p *Page) Depth() int { return strings.Count(p.Path, "/") }

// Build lays out the pages. Commentary that names a period, stage or
// segment the data does not have, or a free page whose name the site
// needs, is an error naming the file.
func Build(m *analysis.Model, docs []*content.Doc, loc *i18n.Locale) (*Site, error) {
	b := newLayout(m, docs, loc)
	s := b.s
	b.periodPages()
	b.stagePages()
	b.segmentPages()
	s.Trends = &Page{Kind: KindTrends, Path: "trends/index.html", Period: m.Latest, Title: loc.T("trends"), Crumbs: b.crumbs()}
	s.Data = &Page{Kind: KindData, Path: "data/index.html", Period: m.Latest, Title: loc.T("data_downloads"), Crumbs: b.crumbs()}
	bad := b.freePages(docs)

	s.Pages = append(s.Pages, s.PeriodPages...)
	s.Pages = append(s.Pages, s.StagePages...)
	for _, g := range s.SegmentPages {
		s.Pages = append(s.Pages, g.Index)
		s.Pages = append(s.Pages, g.Pages...)
	}
	s.Pages = append(s.Pages, s.Trends)
	s.Pages = append(s.Pages, s.FreePages...)
	s.Pages = append(s.Pages, s.Data)

	for _, d := range docs {
		if b.used[d] || d.Kind == content.Page {
			continue
		}
		bad = append(bad, d.Path+": "+unknownTarget(m, d))
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, "\n"))
	}
	return s, nil
}

// layout is a site being laid out: the commentary by kind and key, which
// of it a page took, and the breadcrumb root. One method per page kind.
type layout struct {
	s      *Site
	m      *analysis.Model
	loc    *i18n.Locale
	byKind map[content.Kind]map[string]*content.Doc
	used   map[*content.Doc]bool
	root   []Link
}

// newLayout indexes the commentary and lays out the home page.
func newLayout(m *analysis.Model, docs []*content.Doc, loc *i18n.Locale) *layout {
	b := &layout{s: &Site{Model: m}, m: m, loc: loc, byKind: map[content.Kind]map[string]*content.Doc{}, used: map[*content.Doc]bool{}}
	for _, d := range docs {
		if b.byKind[d.Kind] == nil {
			b.byKind[d.Kind] = map[string]*content.Doc{}
		}
		b.byKind[d.Kind][d.Key] = d
	}
	home := &Page{Kind: KindHome, Path: "index.html", Title: m.Title, Period: m.Latest, Doc: b.doc(content.Home, "")}
	b.s.Home = home
	b.s.Pages = append(b.s.Pages, home)
	b.root = []Link{{Label: m.Title, Path: home.Path}}
	return b
}

// doc is the commentary for a page, marked used; nil without one.
func (b *layout) doc(k content.Kind, key string) *content.Doc {
	d := b.byKind[k][key]
	if d != nil {
		b.used[d] = true
	}
	return d
}

// titled takes the page's title from its commentary's front matter.
func titled(p *Page) *Page {
	if p.Doc != nil && p.Doc.Meta.Title != "" {
		p.Title = p.Doc.Meta.Title
	}
	return p
}

func (b *layout) crumbs(extra ...Link) []Link {
	return append(append([]Link(nil), b.root...), extra...)
}

func (b *layout) periodPages() {
	slugs := map[string]bool{}
	for _, p := range b.m.Periods {
		pg := titled(&Page{Kind: KindPeriod, Path: "periods/" + uniqueSlug(Slug(p), slugs) + "/index.html", Period: p,
			Doc: b.doc(content.Period, p), Title: b.loc.Tf("period_report", b.loc.Period(p)), Crumbs: b.crumbs()})
		b.s.PeriodPages = append(b.s.PeriodPages, pg)
	}
}

func (b *layout) stagePages() {
	slugs := map[string]bool{}
	for _, st := range b.m.Stages {
		pg := titled(&Page{Kind: KindStage, Path: "stages/" + uniqueSlug(Slug(st.ID), slugs) + "/index.html", Period: b.m.Latest,
			Stage: st.ID, Doc: b.doc(content.Stage, st.ID), Title: st.Name, Crumbs: b.crumbs()})
		b.s.StagePages = append(b.s.StagePages, pg)
	}
}

// segmentPages lays out each dimension's index and its segments' pages.
func (b *layout) segmentPages() {
	m, loc := b.m, b.loc
	dimSlugs := map[string]bool{}
	for _, dim := range m.Dims {
		dir := "segments/" + uniqueSlug(Slug(dim), dimSlugs) + "/"
		g := SegmentGroup{Dim: dim, Index: &Page{Kind: KindDimension, Path: dir + "index.html", Period: m.Latest, Dim: dim,
			Title: loc.Dim(dim), Crumbs: b.crumbs()}}
		slugs := map[string]bool{}
		for _, seg := range m.Segments {
			if seg.Dim != dim {
				continue
			}
			pg := titled(&Page{Kind: KindSegment, Path: dir + uniqueSlug(Slug(seg.Value), slugs) + "/index.html", Period: m.Latest,
				Segment: seg, Doc: b.doc(content.Segment, seg.String()), Title: loc.Dim(dim) + ": " + seg.Value,
				Crumbs: b.crumbs(Link{Label: g.Index.Title, Path: g.Index.Path})})
			g.Pages = append(g.Pages, pg)
		}
		if len(g.Pages) > 0 {
			b.s.SegmentPages = append(b.s.SegmentPages, g)
		}
	}
}

// freePages lays out the free commentary pages by weight, then title; it
// returns the problems of those whose name the site needs.
func (b *layout) freePages(docs []*content.Doc) []string {
	var bad []string
	slugs := map[string]bool{}
	for _, d := range docs {
		if d.Kind != content.Page {
			continue
		}
		slug := Slug(d.Key)
		if reserved[slug] {
			bad = append(bad, fmt.Sprintf("%s: the page name %q is taken by the generated site (%s); rename the file", d.Path, slug, reservedList()))
			continue
		}
		pg := titled(&Page{Kind: KindPage, Path: uniqueSlug(slug, slugs) + "/index.html", Period: b.m.Latest, Doc: b.doc(content.Page, d.Key),
			Title: d.Key, Crumbs: b.crumbs()})
		b.s.FreePages = append(b.s.FreePages, pg)
	}
	sort.SliceStable(b.s.FreePages, func(i, j int) bool {
		x, y := b.s.FreePages[i], b.s.FreePages[j]
		if x.Doc.Meta.Weight != y.Doc.Meta.Weight {
			return x.Doc.Meta.Weight < y.Doc.Meta.Weight
		}
		return x.Title < y.Title
	})
	return bad
}

func reservedList() string {
	names := make([]string, 0, len(reserved))
	for n := range reserved {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// unknownTarget explains why a commentary file matches no page.
func unknownTarget(m *analysis.Model, d *content.Doc) string {
	switch d.Kind {
	case content.Period:
		return fmt.Sprintf("no period %q in the data (periods: %s)", d.Key, strings.Join(m.Periods, ", "))
	case content.Stage:
		ids := make([]string, len(m.Stages))
		for i, s := range m.Stages {
			ids[i] = s.ID
		}
		return fmt.Sprintf("no stage %q (stages: %s)", d.Key, strings.Join(ids, ", "))
	case content.Segment:
		var segs []string
		for _, s := range m.Segments {
			if !s.IsAll() {
				segs = append(segs, s.Dim+"/"+s.Value)
			}
		}
		return fmt.Sprintf("no segment %q in the data (segments: %s)", strings.Replace(d.Key, "=", "/", 1), strings.Join(segs, ", "))
	}
	return "duplicate commentary"
}

// PeriodPage returns the page of a period, or nil.
func (s *Site) PeriodPage(period string) *Page {
	for _, p := range s.PeriodPages {
		if p.Period == period {
			return p
		}
	}
	return nil
}

// StagePage returns the page of a stage id, or nil.
func (s *Site) StagePage(id string) *Page {
	for _, p := range s.StagePages {
		if p.Stage == id {
			return p
		}
	}
	return nil
}

// SegmentPage returns the page of a segment, or nil (also for "all").
func (s *Site) SegmentPage(seg dataset.Segment) *Page {
	for _, g := range s.SegmentPages {
		for _, p := range g.Pages {
			if p.Segment == seg {
				return p
			}
		}
	}
	return nil
}

// Neighbours returns the period pages before and after p (nil at the ends
// or when p is not a period page): the period switcher.
func (s *Site) Neighbours(p *Page) (prev, next *Page) {
	for i, x := range s.PeriodPages {
		if x != p {
			continue
		}
		if i > 0 {
			prev = s.PeriodPages[i-1]
		}
		if i+1 < len(s.PeriodPages) {
			next = s.PeriodPages[i+1]
		}
	}
	return prev, next
}

// Slug makes a path segment from a label: ASCII letters and digits
// lowercased, Cyrillic transliterated (so URLs and zip entries stay plain
// ASCII on every system), other letters as their code point, everything
// else a single dash.
func Slug(label string) string {
	var b strings.Builder
	dash := false
	put := func(s string) {
		b.WriteString(s)
		dash = false
	}
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			put(string(r))
		case translit[r] != "" || r == 'ъ' || r == 'ь':
			put(translit[r])
		case r > 127 && isLetterOrDigit(r):
			put(fmt.Sprintf("u%x", r))
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "x"
	}
	if len(s) > maxSlug {
		// File names stop at 255 bytes; keep a readable head and a hash of
		// the whole label so two long labels still get distinct folders.
		s = fmt.Sprintf("%s-%08x", strings.TrimSuffix(s[:maxSlug-9], "-"), crc32.ChecksumIEEE([]byte(label)))
	}
	return s
}

// maxSlug bounds a path segment made from a label.
const maxSlug = 64

func uniqueSlug(s string, seen map[string]bool) string {
	out := s
	for i := 2; seen[out]; i++ {
		out = fmt.Sprintf("%s-%d", s, i)
	}
	seen[out] = true
	return out
}

// Dir returns the folder of a page path ("" for the root).
func Dir(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}
