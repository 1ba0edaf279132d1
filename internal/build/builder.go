package build

import (
	"bytes"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/render"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"
)

// Scope is how much of the pipeline a change invalidates; a wider scope
// includes the narrower ones.
type Scope int

const (
	ScopeNone Scope = iota
	// ScopeContent: commentary changed; re-read content/ and re-render.
	ScopeContent
	// ScopeTemplates: templates, themes or static files changed; parse the
	// template layers again and re-render (commentary is reused).
	ScopeTemplates
	// ScopeData: the config, the data or an unknown file changed; read,
	// analyse and render everything again.
	ScopeData
)

func (s Scope) String() string {
	switch s {
	case ScopeNone:
		return "none"
	case ScopeContent:
		return "content"
	case ScopeTemplates:
		return "templates"
	case ScopeData:
		return "data"
	}
	return "unknown"
}

// ScopeOf says what a change of rel (a slash-separated path relative to the
// project) invalidates. Paths it cannot place invalidate everything: a
// configured source may live anywhere in the project.
func ScopeOf(rel string) Scope {
	rel = path.Clean(strings.TrimPrefix(rel, "./"))
	top, _, _ := strings.Cut(rel, "/")
	switch {
	case top == content.Dir && rel != top:
		return ScopeContent
	case top == content.Dir: // the whole folder appeared or went away
		return ScopeContent
	case top == "templates" || top == "themes" || top == "static":
		return ScopeTemplates
	}
	return ScopeData
}

// A Builder builds a project again and again, redoing only what the
// changes reported to Invalidate require. A failed step stays invalid, so
// the next Build retries it whatever changed. A Builder is not safe for
// concurrent use: one goroutine (the watch loop) owns it.
type Builder struct {
	opts  Options
	stale Scope

	loaded *Result          // config, table and model of the last good load
	rd     *render.Renderer // templates parsed for loaded's config

	// The last good build. Cleared whenever loaded or rd is redone, so a
	// set files means: rendered from the current loaded and rd.
	docs  []*content.Doc
	site  *report.Site
	files []site.File
	last  map[string]site.File // files by path, for Changed

	// retired are the exports of the load before the current one: the
	// site last published may still point at them until the next load.
	retired   *exports
	releasing sync.WaitGroup // retired exports being deleted
	// published are the exports the last good build's files point at:
	// never deleted while it is the site served, however many loads
	// after it failed to render.
	published *exports

	// requery makes the next load ask database sources afresh.
	requery bool
}

// NewBuilder returns a Builder whose first Build does everything.
func NewBuilder(o Options) *Builder {
	return &Builder{opts: o, stale: ScopeData}
}

// Options returns what the Builder builds.
func (b *Builder) Options() Options { return b.opts }

// Config is the config of the last good load, or nil.
func (b *Builder) Config() *config.Config {
	if b.loaded == nil {
		return nil
	}
	return b.loaded.Config
}

// Invalidate records changed project paths (slash-separated, relative to
// the project folder).
func (b *Builder) Invalidate(rels ...string) {
	for _, r := range rels {
		b.stale = max(b.stale, ScopeOf(r))
	}
}

// InvalidateAll makes the next Build redo everything (e.g. after the
// watcher lost events).
func (b *Builder) InvalidateAll() { b.stale = ScopeData }

// Requery makes the next Build load everything again and ask database
// sources afresh instead of answering from their cache (serve's refresh
// key). Later builds use the cache again, which then holds the new answers.
func (b *Builder) Requery() { b.stale, b.requery = ScopeData, true }

// Build redoes what is stale and returns the whole site. Result.Changed
// lists the output paths that differ from the previous good build (all of
// them the first time). An edit of commentary text alone (the same files
// with the same front matter) renders only the pages showing that text
// and reuses every other file. On error the caches of the failed step and
// the steps after it stay invalid.
func (b *Builder) Build() (*Result, error) { return b.BuildStaged(nil, nil) }

// BuildStaged is Build handing parts of the site to onStage as they are
// ready, when it draws every page (not after an edit of commentary text
// alone): first the pages named in first, then every other page but the
// data page, then — the Result — the downloads and the data page. A build
// that fails after a stage was handed out returns its error like any
// other; the last good build stays the reference. onStage nil is Build.
func (b *Builder) BuildStaged(first []string, onStage func(Stage)) (*Result, error) {
	redone := b.stale
	docs, err := b.prepare()
	if err != nil {
		return nil, err
	}
	// A copy of the loaded result, so that whatever else Load records
	// reaches the pages as it does in Run.
	loaded := *b.loaded
	r := &loaded
	r.Redone = redone
	staged := false // Changed was found while drawing
	edited, textOnly := textEdits(b.docs, docs)
	switch {
	case textOnly && b.files != nil:
		err = b.renderEdited(r, docs, edited)
	case onStage != nil:
		err = b.renderStaged(r, docs, first, onStage)
		staged = true
	default:
		err = renderSite(r, docs, b.rd)
		if err == nil {
			r.Rendered = len(r.Site.Pages)
		}
	}
	if err != nil {
		// The next build must render again even if its change looks
		// unrelated; the last good build stays the reference.
		b.stale = max(b.stale, ScopeContent)
		return nil, err
	}
	b.stale = ScopeNone
	b.docs, b.site, b.files = docs, r.Site, r.Files
	b.publish(b.loaded.exports)
	if staged {
		b.remember(r)
	} else {
		r.Changed = b.diff(r)
		r.Fresh = r.Changed
	}
	if !staged {
		// What the commentary cites, for serve's stale-commentary
		// banner; the pages rendered fine, so their embeds resolve.
		r.Cited, _ = b.rd.Citations(r.Site)
	}
	return r, nil
}

// prepare redoes the load and the templates when they are stale, and
// returns the commentary to lay out: read again (at the same time as the
// data: neither needs the other) unless only its text may have changed.
func (b *Builder) prepare() ([]*content.Doc, error) {
	docs := b.docs
	var docsErr error
	var reading sync.WaitGroup
	if b.stale >= ScopeContent || b.files == nil {
		reading.Go(func() { docs, docsErr = loadContent(b.opts) })
	}
	err := b.reload()
	reading.Wait()
	if err == nil && docsErr != nil {
		b.stale = max(b.stale, ScopeContent)
		err = docsErr
	}
	return docs, err
}

// reload redoes the load and the templates when they are stale.
func (b *Builder) reload() error {
	if b.stale >= ScopeData {
		if b.loaded != nil {
			// Deleting 150 MB of downloads takes tens of milliseconds:
			// not on the way to the first page (Close waits for it).
			if gone := b.retired; gone != b.published {
				b.releasing.Go(gone.release)
			}
			b.retired = b.loaded.exports
		}
		b.loaded, b.rd = nil, nil
		b.forgetSite()
		o := b.opts
		if b.requery {
			o.UseCache = false
		}
		r, err := Load(o)
		if err != nil {
			return err
		}
		b.loaded, b.requery = r, false // its exports go to the system's temporary folder
	}
	if b.stale >= ScopeTemplates {
		b.rd = nil
		b.forgetSite()
		rd, err := newRenderer(b.opts, b.loaded.Config)
		if err != nil {
			b.stale = ScopeTemplates
			return err
		}
		b.rd = rd
	}
	return nil
}

func (b *Builder) forgetSite() { b.docs, b.site, b.files = nil, nil, nil }

// publish records the exports the last good build points at, deleting
// the ones it replaces unless a later load still holds them.
func (b *Builder) publish(e *exports) {
	old := b.published
	b.published = e
	if old != nil && old != e && old != b.retired && (b.loaded == nil || old != b.loaded.exports) {
		b.releasing.Go(old.release)
	}
}

// Close deletes the folders the Builder streamed exports into; the files
// of its results that point there (site.File.Src) are gone after it.
func (b *Builder) Close() {
	b.releasing.Wait()
	b.retired.release()
	b.published.release()
	if b.loaded != nil {
		b.loaded.exports.release()
	}
	b.retired, b.published, b.loaded = nil, nil, nil
}

// textEdits compares two loads of the commentary. It reports ok when they
// differ at most in Markdown text — same files, same front matter — and
// which files' text changed. Front matter feeds other pages (titles in
// the navigation, ordering, summaries), text only its own page.
func textEdits(old, cur []*content.Doc) (map[string]bool, bool) {
	if len(old) != len(cur) {
		return nil, false
	}
	byPath := make(map[string]*content.Doc, len(old))
	for _, d := range old {
		byPath[d.Path] = d
	}
	edited := map[string]bool{}
	for _, d := range cur {
		o := byPath[d.Path]
		if o == nil {
			return nil, false
		}
		a, c := *o, *d
		a.Body, a.BodyLine, c.Body, c.BodyLine = nil, 0, nil, 0
		if !reflect.DeepEqual(a, c) {
			return nil, false
		}
		if !bytes.Equal(o.Body, d.Body) || o.BodyLine != d.BodyLine {
			edited[d.Path] = true
		}
	}
	return edited, true
}

// renderEdited lays the site out with docs and renders only the pages
// whose commentary text was edited; every other file is the last build's.
// If the layout differs from the last build's it renders everything.
func (b *Builder) renderEdited(r *Result, docs []*content.Doc, edited map[string]bool) error {
	s, err := layout(r, docs)
	if err != nil {
		return err
	}
	if !samePages(s, b.site) {
		return renderSite(r, docs, b.rd)
	}
	var pages []*report.Page
	for _, p := range s.Pages {
		if p.Doc != nil && edited[p.Doc.Path] {
			pages = append(pages, p)
		}
	}
	fresh := map[string][]byte{}
	if len(pages) > 0 {
		sub := *s // the whole site as the templates see it, fewer pages to draw
		sub.Pages = pages
		files, err := b.rd.Render(&sub)
		if err != nil {
			return err
		}
		for _, p := range pages {
			fresh[p.Path] = nil
		}
		for _, f := range files {
			if _, ok := fresh[f.Path]; ok {
				fresh[f.Path] = f.Data
			}
		}
	}
	out := make([]site.File, len(b.files))
	for i, f := range b.files {
		if data, ok := fresh[f.Path]; ok {
			f.Data = data
		}
		out[i] = f
	}
	r.Site, r.Files, r.Rendered = s, out, len(pages)
	return nil
}

// samePages reports whether two layouts have the same pages in the same
// order.
func samePages(a, b *report.Site) bool {
	if a == nil || b == nil || len(a.Pages) != len(b.Pages) {
		return false
	}
	for i := range a.Pages {
		if a.Pages[i].Path != b.Pages[i].Path || a.Pages[i].Title != b.Pages[i].Title {
			return false
		}
	}
	return true
}

// remember makes r's files the reference of the next diff; r.Changed
// was found while drawing (renderStaged).
func (b *Builder) remember(r *Result) {
	b.last = make(map[string]site.File, len(r.Files))
	for _, f := range r.Files {
		b.last[f.Path] = f
	}
}

// diff returns the output paths added, modified or removed since the last
// good build, sorted, and remembers this build.
func (b *Builder) diff(r *Result) []string {
	next := make(map[string]site.File, len(r.Files))
	var changed []string
	for _, f := range r.Files {
		next[f.Path] = f
		if old, ok := b.last[f.Path]; !ok || !site.Equal(old, f) {
			changed = append(changed, f.Path)
		}
	}
	for p := range b.last {
		if _, ok := next[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	b.last = next
	return changed
}
