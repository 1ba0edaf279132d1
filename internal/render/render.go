// Package render turns the page model into files: HTML from html/template,
// commentary from Markdown, charts from go-echarts, plus the static assets.
// It does no I/O of its own beyond reading the template layers it is given.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"sort"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/assets"
	"github.com/funnel-report/funnel/internal/charts"
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
}

// Kinds are the page kinds, each with its template <kind>.html.
var Kinds = []string{report.KindHome, report.KindPeriod}

// Renderer holds parsed templates; it renders any number of sites.
type Renderer struct {
	opts   Options
	tmpl   *templateSet
	static map[string][]byte
	md     *markdown.Converter
}

// New parses the template layers: project templates/, project
// themes/<theme>/templates/, built-in themes/<theme>/templates/, built-in
// templates/. Static files: built-in theme static/, project theme
// static/, project static/ (later wins).
func New(o Options) (*Renderer, error) {
	if o.Theme == "" {
		o.Theme = "default"
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
	return &Renderer{opts: o, tmpl: ts, static: static, md: markdown.New(o.UnsafeHTML)}, nil
}

// pageData is what every page template sees.
type pageData struct {
	Site       *report.Site
	Page       *report.Page
	M          *analysis.Model
	L          *i18n.Locale
	Funnel     *analysis.Funnel // the page's period, all segments
	Prev       *analysis.Funnel // the period before, or nil
	Charts     map[string]charts.Chart
	Commentary template.HTML
}

// Assets is the page-relative prefix of the site's assets folder.
func (d *pageData) Assets() string { return d.Page.Rel("assets/") }

// Render produces every file of the site.
func (r *Renderer) Render(s *report.Site) ([]site.File, error) {
	loc := i18n.For(s.Model.Language)
	ech, err := assets.ECharts()
	if err != nil {
		return nil, err
	}
	files := []site.File{{Path: "assets/echarts.min.js", Data: ech}}
	for _, p := range s.Pages {
		b, err := r.page(s, p, loc)
		if err != nil {
			return nil, err
		}
		files = append(files, site.File{Path: p.Path, Data: b})
	}
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

func (r *Renderer) page(s *report.Site, p *report.Page, loc *i18n.Locale) ([]byte, error) {
	d := &pageData{Site: s, Page: p, M: s.Model, L: loc, Charts: map[string]charts.Chart{}}
	if p.Period != "" {
		d.Funnel = s.Model.Funnel(p.Period, p.Segment)
		if prev := s.Model.PrevPeriod(p.Period); prev != "" {
			d.Prev = s.Model.Funnel(prev, p.Segment)
		}
	}
	if p.Doc != nil {
		html, err := r.md.Convert(p.Doc.Body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Doc.Path, err)
		}
		d.Commentary = template.HTML(html)
	}
	if d.Funnel != nil {
		addFunnelCharts(d)
	}
	t := r.tmpl.kinds[p.Kind]
	if t == nil {
		return nil, fmt.Errorf("no template for page kind %q", p.Kind)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "baseof.html", d); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Path, err)
	}
	return buf.Bytes(), nil
}

// addFunnelCharts adds the funnel and step-conversion charts of d.Funnel.
func addFunnelCharts(d *pageData) {
	m, f, l := d.M, d.Funnel, d.L
	names := make([]string, len(m.Steps))
	counts := make([]interface{}, len(m.Steps))
	for i, s := range m.Steps {
		names[i] = s.Name
		counts[i] = charts.Value(f.Counts[i].V, f.Counts[i].OK)
	}
	d.Charts["funnel"] = charts.Funnel(charts.ID(d.Page.Path, 1), l.T("chart_funnel"), names, counts)
	labels := make([]string, len(f.Transitions))
	rates := make([]interface{}, len(f.Transitions))
	refs := make([]interface{}, len(f.Transitions))
	for i, t := range f.Transitions {
		labels[i] = m.Steps[t.From].Name + " → " + m.Steps[t.To].Name
		rates[i] = charts.Value(t.Rate.V, t.Rate.OK)
		tg := m.Steps[t.To].Target
		refs[i] = charts.Value(tg.V, tg.OK)
	}
	d.Charts["conversion"] = charts.Conversion(charts.ID(d.Page.Path, 2), l.T("chart_conversion"), labels, rates, refs, l.T("step_conversion"), l.T("target"))
}
