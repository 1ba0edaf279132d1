package render

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/funnel-report/funnel/internal/report"
)

// The sidebar (partials/nav.html) is the same on every page at the same
// folder depth, except where it marks the current page. Drawing it once
// per depth, and once more for each page it lists, saves a tenth of a
// big site's render: most pages of a site with many segment values (the
// segment pages past the sidebar's top few) are not in it.
//
// This holds for the built-in partial, which sees only the site-wide
// data, the page's depth (links are relative) and its path (the current
// mark). A project or theme with its own nav.html is drawn page by page.

// sidebarCache holds the drawn sidebars of one render by sidebarKey.
type sidebarCache struct {
	listed map[string]bool // paths of the pages the sidebar lists
	drawn  sync.Map        // sidebarKey → template.HTML
}

type sidebarKey struct {
	kind  string // each kind has its own template set
	depth int
	cur   string // the page's path when the sidebar lists it, else ""
}

// newSidebarCache lists the pages the built-in sidebar can mark current.
func newSidebarCache(s *report.Site, nav []NavGroup) *sidebarCache {
	c := &sidebarCache{listed: map[string]bool{}}
	add := func(ps ...*report.Page) {
		for _, p := range ps {
			if p != nil {
				c.listed[p.Path] = true
			}
		}
	}
	add(s.Home, s.Trends, s.Data)
	add(s.FreePages...)
	add(s.PeriodPages...)
	add(s.StagePages...)
	for _, g := range nav {
		add(g.Index)
		add(g.Pages...)
	}
	return c
}

// Sidebar draws the page's sidebar (partials/nav.html), from the cache
// when it may.
func (d *pageData) Sidebar() (template.HTML, error) {
	draw := func() (template.HTML, error) {
		var b bytes.Buffer
		if err := d.tmpl.ExecuteTemplate(&b, "partials/nav.html", d); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil
	}
	c := d.sidebar
	if c == nil {
		return draw()
	}
	k := sidebarKey{kind: d.Page.Kind, depth: d.Page.Depth()}
	if c.listed[d.Page.Path] {
		k.cur = d.Page.Path
	}
	if h, ok := c.drawn.Load(k); ok {
		return h.(template.HTML), nil
	}
	h, err := draw()
	if err != nil {
		return "", err
	}
	c.drawn.Store(k, h)
	return h, nil
}
