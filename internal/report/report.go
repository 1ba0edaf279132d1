// Package report decides the site's pages: which exist, where they live,
// what each shows and how they link. It holds no HTML; render draws it.
package report

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Page kinds.
const (
	KindHome   = "home"
	KindPeriod = "period"
)

// Site is the page model of a whole report.
type Site struct {
	Model *analysis.Model
	Pages []*Page
	// Home is the first page; PeriodPages are in chronological order.
	Home        *Page
	PeriodPages []*Page
}

// Page is one output page.
type Page struct {
	Kind  string
	Path  string // slash-separated, relative to the site root, ends in index.html
	Title string
	// Period is the period shown (the latest on the home page).
	Period  string
	Segment dataset.Segment
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
	depth := strings.Count(p.Path, "/")
	return strings.Repeat("../", depth) + target
}

// Depth is how many folders the page is below the root.
func (p *Page) Depth() int { return strings.Count(p.Path, "/") }

// Build lays out the pages. Commentary that names a period, stage or
// segment the data does not have is an error naming the file.
func Build(m *analysis.Model, docs []*content.Doc, loc *i18n.Locale) (*Site, error) {
	s := &Site{Model: m}
	byKind := map[content.Kind]map[string]*content.Doc{}
	for _, d := range docs {
		if byKind[d.Kind] == nil {
			byKind[d.Kind] = map[string]*content.Doc{}
		}
		byKind[d.Kind][d.Key] = d
	}
	home := &Page{Kind: KindHome, Path: "index.html", Title: m.Title, Period: m.Latest, Doc: byKind[content.Home][""]}
	s.Home = home
	s.Pages = append(s.Pages, home)
	slugs := map[string]bool{}
	for _, p := range m.Periods {
		slug := uniqueSlug(Slug(p), slugs)
		pg := &Page{Kind: KindPeriod, Path: "periods/" + slug + "/index.html", Period: p, Doc: byKind[content.Period][p],
			Title: loc.Tf("period_report", loc.Period(p))}
		if pg.Doc != nil && pg.Doc.Meta.Title != "" {
			pg.Title = pg.Doc.Meta.Title
		}
		pg.Crumbs = []Link{{Label: m.Title, Path: home.Path}}
		s.PeriodPages = append(s.PeriodPages, pg)
		s.Pages = append(s.Pages, pg)
	}
	var bad []string
	for key, d := range byKind[content.Period] {
		if s.PeriodPage(key) == nil {
			bad = append(bad, fmt.Sprintf("%s: no period %q in the data (periods: %s)", d.Path, key, strings.Join(m.Periods, ", ")))
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, "\n"))
	}
	return s, nil
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

// Slug makes a path segment from a label: letters and digits (any script)
// lowercased, everything else a single dash.
func Slug(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(label) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "x"
	}
	return s
}

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
