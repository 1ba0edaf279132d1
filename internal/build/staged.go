package build

import (
	"cmp"
	"slices"
	"sync"

	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"
)

// A Stage is part of a build handed out before the build ends
// (Builder.BuildStaged): serve publishes the pages open in a browser as
// soon as they are drawn, the other pages when they are, and the data
// page once the downloads it lists are encoded — the downloads are most
// of a data edit's time on a big site.
type Stage struct {
	// Files are every file of the new site ready so far.
	Files []site.File
	// Pending are the new site's other output paths, still to come.
	Pending []string
	// Changed are the paths this stage made ready that differ from the
	// last good build, and (first stage) the paths the new site no longer
	// has. Every changed path is in exactly one stage's list, the last
	// stage being the build's Result (Result.Fresh).
	Changed []string
	// Cited is what the new site's commentary cites (Result.Cited).
	Cited []cited.Citation
}

// stager draws one site in stages: the pages asked for first, then the
// other pages, then the downloads and the data page that lists them.
// Drawn alone, a page is byte-identical to the same page drawn with all
// the others (the site it is drawn in is the whole site; only the list of
// pages to draw is shorter), as renderEdited already relies on.
type stager struct {
	b       *Builder
	s       *report.Site
	ready   map[string]site.File
	order   []string // paths in the order of ready's first appearance
	pending map[string]bool
	// downloads are the paths of the model's exports.
	downloads map[string]bool
	changed   []string // every changed path so far, for Result.Changed
	first     bool     // no stage handed out yet
}

// renderStaged renders r's site in stages, handing each but the last to
// onStage. first are the page paths to draw before the others (unknown
// paths and the data page are ignored).
func (b *Builder) renderStaged(r *Result, docs []*content.Doc, first []string, onStage func(Stage)) error {
	s, err := layout(r, docs)
	if err != nil {
		return err
	}
	var early, rest, data []*report.Page
	for _, p := range s.Pages {
		switch {
		case p.Kind == report.KindData:
			data = append(data, p)
		case slices.Contains(first, p.Path):
			early = append(early, p)
		default:
			rest = append(rest, p)
		}
	}
	// What the commentary cites, found while the first pages are drawn
	// (one page keeps one core busy): the stages carry it, for serve's
	// stale-commentary banner. An embed that does not resolve fails the
	// build: then no stage is handed out, and the render says where.
	var citeErr error
	var cites sync.WaitGroup
	cites.Go(func() { r.Cited, citeErr = b.rd.Citations(s) })
	st := b.newStager(s)
	for _, pages := range [][]*report.Page{early, rest} {
		if len(pages) == 0 {
			continue
		}
		fresh, drawErr := st.draw(pages, false)
		cites.Wait()
		if drawErr == nil && citeErr != nil {
			_, drawErr = b.rd.Render(s) // fails as a build in one go would
			drawErr = cmp.Or(drawErr, citeErr)
		}
		if drawErr != nil {
			return drawErr
		}
		onStage(st.stage(fresh, r.Cited))
	}
	cites.Wait()
	fresh, err := st.draw(data, true)
	if err != nil {
		return err
	}
	r.Site, r.Files, r.Rendered = s, st.files(), len(s.Pages)
	r.Fresh = fresh
	r.Changed = slices.Sorted(slices.Values(st.changed))
	return nil
}

// newStager starts drawing s: every page and download is pending.
func (b *Builder) newStager(s *report.Site) *stager {
	st := &stager{b: b, s: s, ready: map[string]site.File{}, pending: map[string]bool{}, downloads: map[string]bool{}, first: true}
	for _, p := range s.Pages {
		st.pending[p.Path] = true
	}
	st.downloads[export.JSONPath] = true
	for _, t := range export.Tables() {
		st.downloads[t.Path] = true
	}
	for p := range st.downloads {
		st.pending[p] = true
	}
	return st
}

// draw renders pages (and, with exports, the downloads) and records the
// files not ready before; it returns those that changed.
func (st *stager) draw(pages []*report.Page, exports bool) ([]string, error) {
	sub := *st.s
	sub.Pages = pages
	if !exports {
		sub.Exports, sub.Downloads = nil, nil
	}
	files, err := st.b.rd.Render(&sub)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, f := range files {
		if _, ok := st.ready[f.Path]; ok {
			continue // the assets and static files come with every render
		}
		st.ready[f.Path] = f
		st.order = append(st.order, f.Path)
		delete(st.pending, f.Path)
		if old, ok := st.b.last[f.Path]; !ok || !site.Equal(old, f) {
			changed = append(changed, f.Path)
		}
	}
	if st.first {
		// Every path of the new site is known now: the rest of the last
		// build's are gone.
		for p := range st.b.last {
			if _, ok := st.ready[p]; !ok && !st.pending[p] {
				changed = append(changed, p)
			}
		}
		st.first = false
	}
	slices.Sort(changed)
	st.changed = append(st.changed, changed...)
	return changed, nil
}

// stage is what is ready after a draw that changed fresh.
func (st *stager) stage(fresh []string, cites []cited.Citation) Stage {
	files := make([]site.File, 0, len(st.ready))
	for _, p := range st.order {
		files = append(files, st.ready[p])
	}
	return Stage{Files: files, Pending: slices.Sorted(func(yield func(string) bool) {
		for p := range st.pending {
			if !yield(p) {
				return
			}
		}
	}), Changed: fresh, Cited: cites}
}

// files are the site's files in the order Render gives them: the first
// file (the charts library), the pages in site order, the downloads,
// then the static files.
func (st *stager) files() []site.File {
	pages := make(map[string]bool, len(st.s.Pages))
	for _, p := range st.s.Pages {
		pages[p.Path] = true
	}
	var head, downloads, static []site.File
	for _, p := range st.order {
		f := st.ready[p]
		switch {
		case pages[p]:
		case st.downloads[p]:
			downloads = append(downloads, f)
		case head == nil:
			head = append(head, f)
		default:
			static = append(static, f)
		}
	}
	out := append([]site.File(nil), head...)
	for _, p := range st.s.Pages {
		out = append(out, st.ready[p.Path])
	}
	out = append(out, downloads...)
	return append(out, static...)
}
