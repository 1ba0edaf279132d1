// Package render turns the page model into files: HTML from html/template,
// commentary from Markdown, charts from go-echarts, plus the static assets.
// It does no I/O of its own beyond reading the template layers it is given.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/assets"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/errpos"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/markdown"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"
)

// Options configure a render.
type Options struct {
	// Project is the report folder (nil: built-ins only).
	Project fs.FS
	// Builtin holds the embedded templates/ and themes/.
	Builtin fs.FS
	Theme   string
	// UnsafeHTML lets raw HTML in commentary through.
	UnsafeHTML bool
	// BaseURL is where the site will be served ("https://intra/funnel/"),
	// for canonical links; pages link to each other relatively either way.
	BaseURL string
	// Prerender, when set, draws every chart to SVG into its container
	// (readable with JavaScript off). See WithPrerender.
	Prerender SVGDrawer
}

// Kinds are the page kinds, each with its template <kind>.html.
var Kinds = report.Kinds

// Renderer holds parsed templates; it renders any number of sites.
type Renderer struct {
	opts Options
	// builtinNav: the sidebar partial is the built-in one, which may be
	// drawn once per folder depth (sidebar.go).
	builtinNav bool
	tmpl       *templateSet
	static     map[string][]byte
	md         *markdown.Converter
	// keep, when set, takes each page as soon as it is drawn and returns
	// the file to hold in its place (WithKeep).
	keep func(site.File) (site.File, error)
}

// New parses the template layers: project templates/, project
// themes/<theme>/templates/, built-in themes/<theme>/templates/, built-in
// templates/. Static files: built-in theme static/, project theme
// static/, project static/ (later wins).
func New(o Options) (*Renderer, error) {
	if o.Theme == "" {
		o.Theme = "default"
	}
	if o.BaseURL != "" && !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	if err := checkTheme(o.Theme, o.Project, o.Builtin); err != nil {
		return nil, err
	}
	themeDir := "themes/" + o.Theme
	layers := Sub("templates", o.Project)
	layers = append(layers, Sub(themeDir+"/templates", o.Project, o.Builtin)...)
	layers = append(layers, Sub("templates", o.Builtin)...)
	ts, err := parseTemplates(layers, funcMap(), Kinds)
	if err != nil {
		return nil, err
	}
	static, err := staticFiles(append(Sub(themeDir+"/static", o.Builtin, o.Project), Sub("static", o.Project)...)...)
	if err != nil {
		return nil, err
	}
	nav, err := layers.ReadFile("partials/nav.html")
	builtinNav, berr := Sub("templates", o.Builtin).ReadFile("partials/nav.html")
	return &Renderer{opts: o, tmpl: ts, static: static, md: markdown.New(o.UnsafeHTML),
		builtinNav: err == nil && berr == nil && bytes.Equal(nav, builtinNav)}, nil
}

// pageData is what every page template sees.
type pageData struct {
	Site *report.Site
	Page *report.Page
	M    *analysis.Model
	L    *i18n.Locale
	// Funnel is the page's period and segment; Prev the period before.
	Funnel *analysis.Funnel
	Prev   *analysis.Funnel
	// PrevPage and NextPage are the period switcher's neighbours.
	PrevPage, NextPage *report.Page
	Stage              *analysis.Stage
	// Charts hold the page's charts by name (absent: no data), Grids
	// lists of small charts, Tables the data tables.
	Charts map[string]*charts.Chart
	Grids  map[string][]*charts.Chart
	Tables map[string]*Table
	// Lists are tables that go with the charts of a grid, in order.
	Lists      []*Table
	Notes      map[string]string
	Commentary template.HTML
	BaseURL    string
	Downloads  []Download
	// The analysis sections (home, period and segment pages); their
	// partials draw nothing while empty.
	Findings    []Sentence
	Scorecard   []Score
	Bottlenecks *Impact
	Durations   *Boxes
	Holes       []string
	// Hero, Bars and StageCards lead the home page (hero.go, bars.go):
	// the outcome and the stake, the funnel, each stage in one line.
	Hero       *Hero
	Bars       *charts.Bars
	StageCards []StageCard
	// Nav is the sidebar's dimensions, laid out once per site.
	Nav []NavGroup

	tmpl    *template.Template // the page kind's templates, for Sidebar
	sidebar *sidebarCache      // nil: draw the sidebar on every page

	nchart int
}

// Download is a file listed on the data page.
type Download struct {
	Path string // site-root path
	Name string
	Size int
}

// Impact is the ranked bottleneck table and its impact bars (the extra
// clients per transition, in rank order).
type Impact struct {
	Labels []string
	Gains  []float64
	Chart  *charts.Chart
	Table  *Table
}

// Boxes are the durations of the transitions: the table of medians, p90,
// references and client-days lost (Drawn rows at the top are drawn out),
// and, from per-lead days, box plots with their five-number table.
type Boxes struct {
	Table *Table
	Drawn int
	// MedianOnly: some durations are snapshot medians, with no p90.
	MedianOnly bool
	Labels     []string
	Stats      [][5]float64 // min, q1, median, q3, p90
	Chart      *charts.Chart
	Stats5     *Table
	// Curves: per transition with records, the time-to-convert curve of
	// this period against the previous one, each with its data table.
	Curves []Curve
}

// Curve is one transition's cumulative-incidence chart and its table.
type Curve struct {
	Chart *charts.Chart
	Table *Table
}

// Measured reports whether a stage has any data in the page's period:
// false exactly when the analysis found it a hole there (a model with no
// stage assignments, a project without funnel.yaml, has none).
func (d *pageData) Measured(stage analysis.Stage) bool {
	return d.M.StageMeasured(d.Page.Period, stage.ID)
}

// Assets is the page-relative prefix of the site's assets folder.
func (d *pageData) Assets() string { return d.Page.Rel("assets/") }

// Canonical is the page's absolute URL, or "" without a base URL.
func (d *pageData) Canonical() string {
	if d.BaseURL == "" {
		return ""
	}
	return d.BaseURL + strings.TrimSuffix(d.Page.Path, "index.html")
}

// nextID gives the page's next chart id; ids depend only on the page and
// the order charts are made, so output is byte-stable.
func (d *pageData) nextID() string {
	d.nchart++
	return charts.ID(d.Page.Path, d.nchart)
}

// Render produces every file of the site. When the site makes its
// downloads on demand (Site.Exports), they are encoded while the other
// pages are drawn (the exports stream to disk, so they add little memory,
// and their longest file no longer runs alone at the end) and the data
// page, which lists them, is drawn last.
func (r *Renderer) Render(s *report.Site) ([]site.File, error) {
	loc := i18n.For(s.Model.Language).WithDims(s.Model.DimNames)
	ech, err := assets.ECharts()
	if err != nil {
		return nil, err
	}
	files := []site.File{{Path: "assets/echarts.min.js", Data: ech}}
	pc := &pageContext{site: s, loc: loc, nav: navGroups(s, loc.Dim), downloads: s.Downloads}
	if r.builtinNav {
		pc.sidebar = newSidebarCache(s, pc.nav)
	}
	data := make([]site.File, len(s.Pages))
	perr := make([]error, len(s.Pages))
	var pages, dataPages []int
	for i, p := range s.Pages {
		if p.Kind == report.KindData {
			dataPages = append(dataPages, i)
		} else {
			pages = append(pages, i)
		}
	}
	var made chan error
	var downloads []site.File
	if pc.downloads == nil && s.Exports != nil {
		made = make(chan error, 1)
		go func() {
			var err error
			downloads, err = s.Exports()
			made <- err
		}()
	}
	r.pages(pc, pages, data, perr)
	if made != nil {
		if err := <-made; err != nil {
			return nil, err
		}
		pc.downloads = downloads
	}
	r.pages(pc, dataPages, data, perr)
	var errs errpos.List
	for i := range s.Pages {
		if perr[i] != nil {
			errs.Add(perr[i])
			continue
		}
		files = append(files, data[i])
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	files = append(files, pc.downloads...)
	names := make([]string, 0, len(r.static))
	for n := range r.static {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, site.File{Path: n, Data: r.static[n]})
	}
	return files, nil
}

// pageContext is what every page of one render shares, made once.
type pageContext struct {
	site      *report.Site
	loc       *i18n.Locale
	nav       []NavGroup
	downloads []site.File
	sidebar   *sidebarCache
}

// pages renders the pages at the indexes idx of the site into data and
// perr (by page index). Pages are independent (each has its own
// pageData; the site, model and templates are only read), so they render
// on every core; results keep page order, so output stays byte-identical.
func (r *Renderer) pages(pc *pageContext, idx []int, data []site.File, perr []error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(idx)) {
		wg.Go(func() {
			var buf bytes.Buffer // reused: pages grow it only at first
			for {
				k := int(next.Add(1)) - 1
				if k >= len(idx) {
					return
				}
				i := idx[k]
				data[i], perr[i] = r.pageFile(pc, pc.site.Pages[i], &buf)
			}
		})
	}
	wg.Wait()
}

// pageFile renders p into its file, handed to keep when one is set.
func (r *Renderer) pageFile(pc *pageContext, p *report.Page, buf *bytes.Buffer) (site.File, error) {
	data, err := r.page(pc, p, buf)
	if err != nil {
		return site.File{}, err
	}
	f := site.File{Path: p.Path, Data: data}
	if r.keep != nil {
		return r.keep(f)
	}
	if r.opts.Prerender == nil {
		f.Data = bytes.Clone(data) // buf's bytes: the next page reuses buf
	}
	return f, nil
}

// page renders p, using buf as scratch space; unless charts are
// prerendered the result is buf's bytes, valid until buf is used again.
func (r *Renderer) page(pc *pageContext, p *report.Page, buf *bytes.Buffer) ([]byte, error) {
	s := pc.site
	d := r.newPageData(pc, p)
	if p.Doc != nil {
		html, err := r.md.Convert(markdown.Source{Body: p.Doc.Body, File: p.Doc.Path, Line: p.Doc.BodyLine,
			Resolve: (&embedder{d: d, t: r.tmpl.kinds[p.Kind]}).resolve})
		if err != nil {
			return nil, err
		}
		d.Commentary = template.HTML(html)
	}
	switch p.Kind {
	case report.KindHome, report.KindPeriod:
		analysisView(d)
		periodView(d)
		if p.Kind == report.KindHome {
			d.Hero = heroView(d)
			d.StageCards = stageCards(d)
		}
	case report.KindSegment:
		segmentView(d)
		if d.Funnel != nil {
			d.Bottlenecks = bottlenecksView(d, s.Model.Bottlenecks(p.Period, p.Segment))
		}
	case report.KindStage:
		stageView(d)
	case report.KindTrends:
		trendsView(d)
	case report.KindDimension:
		dimensionView(d)
	case report.KindData:
		d.Tables["periods"], d.Tables["segments"] = dataTables(d)
		d.Tables["chains"] = chainsTable(d)
		for _, f := range pc.downloads {
			d.Downloads = append(d.Downloads, Download{Path: f.Path, Name: strings.TrimPrefix(f.Path, "data/"), Size: int(f.Len())})
		}
	}
	d.evenAll()
	d.quietCaptions()
	t := r.tmpl.kinds[p.Kind]
	if t == nil {
		return nil, fmt.Errorf("no template for page kind %q", p.Kind)
	}
	d.tmpl, d.sidebar = t, pc.sidebar
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "baseof.html", d); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Path, err)
	}
	if r.opts.Prerender != nil {
		out, err := inlineSVGs(buf.Bytes(), r.opts.Prerender)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", p.Path, err)
		}
		return out, nil
	}
	return buf.Bytes(), nil
}

// newPageData is what the templates and embeds of page p see.
func (r *Renderer) newPageData(pc *pageContext, p *report.Page) *pageData {
	s := pc.site
	d := &pageData{Site: s, Page: p, M: s.Model, L: pc.loc, BaseURL: r.opts.BaseURL, Nav: pc.nav,
		Charts: map[string]*charts.Chart{}, Grids: map[string][]*charts.Chart{}, Tables: map[string]*Table{}, Notes: map[string]string{}}
	if p.Period != "" {
		d.Funnel = s.Model.Funnel(p.Period, p.Segment)
		if prev := s.Model.PrevPeriod(p.Period); prev != "" {
			d.Prev = s.Model.Funnel(prev, p.Segment)
		}
	}
	d.PrevPage, d.NextPage = s.Neighbours(p)
	for i := range s.Model.Stages {
		if s.Model.Stages[i].ID == p.Stage {
			d.Stage = &s.Model.Stages[i]
		}
	}
	return d
}

// SiteJS is the site script the pages load (a project may override it).
func (r *Renderer) SiteJS() []byte { return r.static["assets/site.js"] }

// WithPrerender returns a copy of r that draws every chart to SVG with d
// as well (the templates and static files are shared).
func (r *Renderer) WithPrerender(d SVGDrawer) *Renderer {
	c := *r
	c.opts.Prerender = d
	return &c
}

// WithKeep returns a copy of r that hands each page to keep as soon as it
// is drawn, from several goroutines at once, and puts the file keep
// returns in the site instead. The page's Data is valid only during the
// call: build.Run writes it to disk and keeps the path, so a big site's
// pages are not all held in memory until the site is written.
func (r *Renderer) WithKeep(keep func(site.File) (site.File, error)) *Renderer {
	c := *r
	c.keep = keep
	return &c
}

// ThemeError is an unknown theme: a typo would otherwise build a site with
// no stylesheet or chart script.
type ThemeError struct {
	Theme string
	Found []string // themes in the project and built in, sorted
}

func (e *ThemeError) Error() string {
	return fmt.Sprintf("theme %q: no such theme (found: %s)", e.Theme, strings.Join(e.Found, ", "))
}

// checkTheme requires themes/<theme> in the project or built in.
func checkTheme(theme string, fsyss ...fs.FS) error {
	found := map[string]bool{}
	for _, fsys := range fsyss {
		if fsys == nil {
			continue
		}
		entries, _ := fs.ReadDir(fsys, "themes")
		for _, e := range entries {
			if e.IsDir() {
				found[e.Name()] = true
			}
		}
	}
	if found[theme] && fs.ValidPath("themes/"+theme) && !strings.Contains(theme, "/") {
		return nil
	}
	names := make([]string, 0, len(found))
	for n := range found {
		names = append(names, n)
	}
	sort.Strings(names)
	return &ThemeError{theme, names}
}
