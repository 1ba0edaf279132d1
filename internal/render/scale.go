package render

import (
	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/report"
)

// A consultant does not read 120 rows of one dimension on every page.
// Where a page lists the values of a dimension, a small dimension is
// listed in full and in data order; a bigger one shows its top values by
// volume (the first step's count) and says so, and its dimension index
// page lists them all.
const (
	// maxListed is the most values a dimension lists in full.
	maxListed = 12
	// topN is how many values a bigger dimension shows.
	topN = 10
	// navTop is how many of a big dimension's values the sidebar lists.
	navTop = 5
)

// ranked returns dim's segments by volume in period, largest first;
// unmeasured ones last; data order on ties (the model's one ranking).
func ranked(m *analysis.Model, period, dim string) []analysis.Segment {
	return m.ByVolume(period, dim)
}

// shown is the part of dim a page lists in period: every value in data
// order when there are at most maxListed, else the topN by volume. total
// is how many values dim has; cut reports a shortened list.
func shown(m *analysis.Model, period, dim string) (segs []analysis.Segment, total int, cut bool) {
	for _, s := range m.Segments {
		if s.Dim == dim && !s.IsAll() {
			segs = append(segs, s)
		}
	}
	total = len(segs)
	if total <= maxListed {
		return segs, total, false
	}
	return ranked(m, period, dim)[:topN], total, true
}

// topOf says which part of a dimension a shortened list shows: "top 10
// of 120 by Site visits".
func (d *pageData) topOf(total int) string {
	return d.L.Tf("top_of", topN, total, d.volumeName())
}

// volumeName names what segments are ranked by: the first step.
func (d *pageData) volumeName() string {
	if len(d.M.Steps) == 0 {
		return ""
	}
	return d.M.Steps[0].Name
}

// NavGroup is one dimension in the sidebar: its index page and the
// segment pages listed under it (all of a small dimension, the largest
// few of a big one).
type NavGroup struct {
	Title string
	Index *report.Page
	Pages []*report.Page
	Total int
	Cut   bool
}

// navGroups lays out the sidebar's dimensions once per site.
func navGroups(s *report.Site, title func(dim string) string) []NavGroup {
	var out []NavGroup
	for _, g := range s.SegmentPages {
		n := NavGroup{Title: title(g.Dim), Index: g.Index, Pages: g.Pages, Total: len(g.Pages)}
		if len(g.Pages) > maxListed {
			bySeg := map[analysis.Segment]*report.Page{}
			for _, p := range g.Pages {
				bySeg[p.Segment] = p
			}
			n.Pages, n.Cut = nil, true
			for _, seg := range ranked(s.Model, s.Model.Latest, g.Dim) {
				if p := bySeg[seg]; p != nil && len(n.Pages) < navTop {
					n.Pages = append(n.Pages, p)
				}
			}
		}
		out = append(out, n)
	}
	return out
}
