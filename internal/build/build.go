// Package build runs the pipeline: config → dataset → analysis → content →
// report → render → site. Run does it once; a Builder keeps the results of
// the expensive steps so that a caller rebuilding after a change (watch
// mode) redoes only what the change affects.
package build

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	funnel "github.com/funnel-report/funnel"
	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/content"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/gcfloor"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/prerender"
	"github.com/funnel-report/funnel/internal/projectfs"
	"github.com/funnel-report/funnel/internal/render"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"
)

// Options say what to build.
type Options struct {
	Source string // project folder
	Out    string // output folder; default <Source>/public
	Drafts bool   // include commentary marked draft
	// Period builds the site as of this period: later periods are ignored.
	Period string
	// BaseURL is where the site is served, for canonical links; it
	// overrides the config's base_url. Links between pages stay relative.
	BaseURL string
	// Prerender draws every chart to SVG at build time (also when the
	// config says prerender: true), cached under .funnel-cache/.
	Prerender bool
	// UseCache answers database sources from .funnel-cache/ when their
	// query is unchanged (serve); build and check leave it off and query.
	UseCache bool
	// LoadGCPercent, when above 0, is Run's garbage-collector percentage
	// (GOGC) while the data loads and is analysed; the previous one is
	// back for the rendering. Nearly all the load allocates is the model,
	// which stays: at cmd/funnel's 30 the collector re-marks the growing
	// model some twenty times for little garbage. At 100 it runs a third
	// as often, and the build's peak, set later by the rendering, is no
	// higher (docs/design.md, "Performance, round eight"). It goes
	// through internal/gcfloor, which paces it above a heap floor when
	// the process started one (cmd/funnel does).
	LoadGCPercent int
	// ShedTable drops the table's values once the data is analysed
	// (Table.Shed): the pages read its durations alone, so a one-shot
	// build (cmd/funnel) renders without them (~5 MB on the 400-page
	// site). Result.Table.Value then reports nothing.
	ShedTable bool
}

// Result is what a build produced.
type Result struct {
	Config  *config.Config
	Table   *dataset.Table
	Model   *analysis.Model
	Site    *report.Site
	Files   []site.File
	Changed []string // output paths whose content changed
	// Fresh are those of Changed not handed out in an earlier Stage
	// (Builder.BuildStaged); all of Changed otherwise.
	Fresh []string
	// Redone is how much of the pipeline this build ran again (a Builder
	// reuses the rest from its previous build).
	Redone Scope
	// Rendered is how many pages this build rendered; a Builder reuses
	// the others after an edit of commentary text.
	Rendered int
	// AllPeriods are the data's periods before --period cut the later ones.
	AllPeriods []string
	// Downloads are the model's exports (funnel.json and the CSV tables)
	// that the site's data page offers; made once per model (Exports),
	// they change with it. Nil until made.
	Downloads []site.File
	// Cited is what the commentary's embeds show (a Builder's builds
	// only), for the stale-commentary warning.
	Cited []cited.Citation

	exports *exports // shared by copies of a loaded result (Builder)
}

// exports makes a model's export files once, streaming them into a
// folder of their own (dir, made in base; "" is the system's temporary
// folder): a site.File points there, so the downloads — most of a big
// site's bytes — are never held in memory.
type exports struct {
	once  sync.Once
	base  string
	dir   string
	files []site.File
	err   error
}

// Exports returns the model's export files, encoding them on first use:
// a build makes them after drawing the pages (render.Render); later builds
// of the same loaded model (watch mode) reuse them.
func (r *Result) Exports() ([]site.File, error) {
	if r.exports == nil {
		r.exports = &exports{}
	}
	e := r.exports
	e.once.Do(func() {
		if e.base != "" {
			if e.err = os.MkdirAll(e.base, 0o755); e.err != nil {
				return
			}
		}
		// The writer's process id in the name lets the next build remove
		// the folder if this one is killed (site.Recover).
		if e.dir, e.err = os.MkdirTemp(e.base, site.ExportsPrefix+strconv.Itoa(os.Getpid())+"-"); e.err != nil {
			return
		}
		e.files, e.err = export.Spill(e.dir, r.Model)
	})
	r.Downloads = e.files
	return e.files, e.err
}

// Close deletes the exports streamed to disk (Downloads, and the Files
// that point at them): call it when done with a loaded Result that was
// rendered. Run does it itself. Files already written into a site stay.
func (r *Result) Close() { r.exports.release() }

// release deletes the folder the exports were streamed into; files
// already linked into a site stay there.
func (e *exports) release() {
	if e != nil && e.dir != "" {
		_ = os.RemoveAll(e.dir)
	}
}

// Load reads config and data and analyses them: everything but pages.
func Load(o Options) (*Result, error) {
	fsys := projectfs.New(o.Source)
	cfg, err := config.Load(o.Source)
	if err != nil {
		return nil, err
	}
	if err = checkFolders(o, cfg); err != nil {
		return nil, err
	}
	t, err := dataset.LoadWith(fsys, cfg, dataset.Options{Dir: o.Source, UseCache: o.UseCache})
	if err != nil {
		return nil, err
	}
	all := append([]string(nil), t.Periods...)
	if o.Period != "" && !t.Truncate(o.Period) {
		return nil, fmt.Errorf("--period %s: no such period in the data (have %v)", o.Period, t.Periods)
	}
	m, err := analysis.Analyze(t, cfg)
	if err != nil {
		return nil, err
	}
	if m.Provenance, err = provenance(fsys, cfg, m.Latest); err != nil {
		return nil, fmt.Errorf("hash the inputs: %w", err)
	}
	for _, f := range t.Fetched {
		if len(f.Chain) > 0 {
			c := analysis.Chain{Source: f.Source, WindowDays: f.ChainWindow, Steps: f.ChainSteps}
			for _, n := range f.Chain {
				c.Leads = append(c.Leads, int(n))
			}
			m.Provenance.Chains = append(m.Provenance.Chains, c)
		}
	}
	return &Result{Config: cfg, Table: t, Model: m, AllPeriods: all, Redone: ScopeData, exports: &exports{}}, nil
}

// loadAt is Load at o.LoadGCPercent.
func loadAt(o Options) (*Result, error) {
	if o.LoadGCPercent > 0 {
		defer gcfloor.SetPercent(gcfloor.SetPercent(o.LoadGCPercent))
	}
	return Load(o)
}

// Render lays out and renders the pages of a loaded result.
func Render(o Options, r *Result) error {
	docs, rd, err := prepareRender(o, r.Config)
	if err != nil {
		return err
	}
	return renderSite(r, docs, rd)
}

// prepareRender reads the commentary and parses the templates: what the
// pages need besides the loaded data.
func prepareRender(o Options, cfg *config.Config) ([]*content.Doc, *render.Renderer, error) {
	docs, err := loadContent(o)
	if err != nil {
		return nil, nil, err
	}
	rd, err := newRenderer(o, cfg)
	if err != nil {
		return nil, nil, err
	}
	return docs, rd, nil
}

func loadContent(o Options) ([]*content.Doc, error) {
	return content.Load(projectfs.New(o.Source), o.Drafts)
}

// newRenderer parses the template layers of the project and its theme.
func newRenderer(o Options, cfg *config.Config) (*render.Renderer, error) {
	rd, err := render.New(render.Options{
		Project:    projectFS(o.Source),
		Builtin:    funnel.Builtin,
		Theme:      cfg.Theme,
		UnsafeHTML: cfg.Markdown.UnsafeHTML,
		BaseURL:    cmp.Or(o.BaseURL, cfg.BaseURL),
	})
	var te *render.ThemeError
	if errors.As(err, &te) {
		return nil, fmt.Errorf("%s: %w", cfg.At("theme"), err)
	}
	if err != nil || !(o.Prerender || cfg.Prerender) {
		return rd, err
	}
	return rd.WithPrerender(prerender.New(prerender.Options{
		Lang: cfg.Language, Cache: o.Source, SiteJS: rd.SiteJS(),
	})), nil
}

// layout decides the pages of r with docs.
// Commentary on periods --period cut off is left out.
func layout(r *Result, docs []*content.Doc) (*report.Site, error) {
	s, err := report.Build(r.Model, dropCutPeriods(docs, r), i18n.For(r.Config.Language).WithDims(r.Model.DimNames))
	if err != nil {
		return nil, err
	}
	s.Exports = r.Exports
	return s, nil
}

// renderSite lays out the pages of r with docs and renders them into r.
func renderSite(r *Result, docs []*content.Doc, rd *render.Renderer) error {
	s, err := layout(r, docs)
	if err != nil {
		return err
	}
	files, err := rd.Render(s)
	if err != nil {
		return err
	}
	r.Site, r.Files = s, files
	return nil
}

// dropCutPeriods leaves out commentary on periods --period cut off: they
// exist, the site is just built as of an earlier one.
func dropCutPeriods(docs []*content.Doc, r *Result) []*content.Doc {
	kept := map[string]bool{}
	for _, p := range r.Model.Periods {
		kept[p] = true
	}
	cut := map[string]bool{}
	for _, p := range r.AllPeriods {
		cut[p] = !kept[p]
	}
	out := docs[:0:0]
	for _, d := range docs {
		if d.Kind == content.Period && cut[d.Key] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// projectFS is the project folder; nil if it does not exist.
func projectFS(dir string) fs.FS {
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	return projectfs.New(dir)
}

// OutDir is the output folder of o.
func (o Options) OutDir() string {
	if o.Out != "" {
		return o.Out
	}
	return filepath.Join(o.Source, "public")
}

// SpareDir is where, in the project, a build keeps the site it replaced,
// to write the next build into (site.BeginWith): folders and unchanged
// files are reused. Deleting it is always safe.
const SpareDir = ".funnel-cache/spare"

// Run builds the site and writes it. On any error nothing is written.
func Run(o Options) (*Result, error) {
	// The commentary and the templates need nothing of the data, so they
	// are read while it loads and is analysed (on the 400-page site that
	// takes ~50 ms off the wall time). Their config is read on its own;
	// an error in it is Load's to report.
	var docs []*content.Doc
	var rd *render.Renderer
	var prepErr error
	var preparing sync.WaitGroup
	preparing.Go(func() {
		cfg, err := config.Load(o.Source)
		if err != nil {
			prepErr = err
			return
		}
		docs, rd, prepErr = prepareRender(o, cfg)
	})
	r, err := loadAt(o)
	preparing.Wait()
	if err != nil {
		return nil, err
	}
	if prepErr != nil {
		return nil, prepErr
	}
	if o.ShedTable {
		r.Table.Shed()
	}
	// The exports are streamed beside the output folder, so that Write
	// links them instead of copying; their own folder goes either way.
	r.exports.base = filepath.Dir(filepath.Clean(o.OutDir()))
	defer r.exports.release()
	// Each page goes into the new site's folder as soon as it is drawn:
	// written once, where it stays, and never held in memory with the
	// rest (on the 400-page site they are 16 MB besides the model).
	st, err := site.BeginWith(o.OutDir(), filepath.Join(o.Source, filepath.FromSlash(SpareDir)))
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", o.OutDir(), err)
	}
	if err = renderSite(r, docs, rd.WithKeep(st.Put)); err != nil {
		st.Abort()
		return nil, err
	}
	r.Changed, err = st.Commit(r.Files)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", o.OutDir(), err)
	}
	// The pages and downloads now live in the output folder.
	for _, fs := range [][]site.File{r.Files, r.Downloads} {
		for i := range fs {
			if fs[i].Src != "" {
				fs[i].Src = filepath.Join(o.OutDir(), filepath.FromSlash(fs[i].Path))
			}
		}
	}
	return r, nil
}
