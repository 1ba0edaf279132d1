package build

import (
	"bytes"
	"path"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/render"
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

	loaded *Result // config, table and model of the last good load
	docs   []*content.Doc
	rd     *render.Renderer
	last   map[string][]byte // files of the last good build
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

// Build redoes what is stale and returns the whole site. Result.Changed
// lists the output paths that differ from the previous good build (all of
// them the first time). On error the caches of the failed step and the
// steps after it stay invalid.
func (b *Builder) Build() (*Result, error) {
	redone := b.stale
	if b.stale >= ScopeData {
		b.loaded, b.docs, b.rd = nil, nil, nil
		r, err := Load(b.opts)
		if err != nil {
			return nil, err
		}
		b.loaded = r
	}
	if b.stale >= ScopeTemplates {
		b.rd = nil
		rd, err := newRenderer(b.opts, b.loaded.Config)
		if err != nil {
			b.stale = ScopeTemplates
			return nil, err
		}
		b.rd = rd
	}
	if b.stale >= ScopeContent || b.docs == nil {
		docs, err := loadContent(b.opts)
		if err != nil {
			b.stale = max(b.stale, ScopeContent)
			return nil, err
		}
		b.docs = docs
	}
	// A copy of the loaded result, so that whatever else Load records
	// reaches the pages as it does in Run.
	loaded := *b.loaded
	r := &loaded
	r.Redone = redone
	if err := renderSite(r, b.docs, b.rd); err != nil {
		// Nothing cached is wrong (the layout or a page failed), but the
		// next build must render again even if the change looks unrelated.
		b.stale = max(b.stale, ScopeContent)
		return nil, err
	}
	b.stale = ScopeNone
	r.Changed = b.diff(r)
	return r, nil
}

// diff returns the output paths added, modified or removed since the last
// good build, sorted, and remembers this build.
func (b *Builder) diff(r *Result) []string {
	next := make(map[string][]byte, len(r.Files))
	var changed []string
	for _, f := range r.Files {
		next[f.Path] = f.Data
		if old, ok := b.last[f.Path]; !ok || !bytes.Equal(old, f.Data) {
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
