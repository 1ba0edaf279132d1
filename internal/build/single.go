package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/funnel-report/funnel/internal/assets"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/onefile"
	"github.com/funnel-report/funnel/internal/report"
)

// SingleOptions say how to make a one-file report.
type SingleOptions struct {
	// Cover adds a title page and a table of contents (the PDF).
	Cover bool
}

// SingleFile renders the report of one period — o.Period, else the
// latest — as one self-contained HTML file (package onefile), its charts
// drawn to SVG as well (package prerender). Only that page is drawn; the
// site's other pages and its downloads are not made.
func SingleFile(o Options, so SingleOptions) ([]byte, *Result, error) {
	o.Prerender = true // readable with scripts stripped, and in print
	r, err := Load(o)
	if err != nil {
		return nil, nil, err
	}
	docs, rd, err := prepareRender(o, r.Config)
	if err != nil {
		return nil, nil, err
	}
	s, err := layout(r, docs)
	if err != nil {
		return nil, nil, err
	}
	page := s.PeriodPage(r.Model.Latest)
	if page == nil {
		return nil, nil, fmt.Errorf("%s: no periods in the data", o.Source)
	}
	sub := *s
	sub.Pages, sub.Exports, sub.Downloads = []*report.Page{page}, nil, nil
	files, err := rd.Render(&sub)
	if err != nil {
		return nil, nil, err
	}
	// The one file carries the custom ECharts build (the types and
	// components the pages draw): 38% smaller gzipped, the same drawing.
	for i, f := range files {
		if f.Path == "assets/echarts.min.js" {
			files[i].Data = assets.EChartsCustom()
		}
	}
	fo := onefile.Options{Page: page.Path}
	if so.Cover {
		if fo.Cover, err = cover(o, r, page); err != nil {
			return nil, nil, err
		}
	}
	out, err := onefile.Fold(files, fo)
	if err != nil {
		return nil, nil, err
	}
	r.Site, r.Files, r.Rendered = &sub, files, 1
	return out, r, nil
}

// cover is the PDF's title page: the report title, the period, the client
// and the logo named in funnel.yaml.
func cover(o Options, r *Result, page *report.Page) (*onefile.Cover, error) {
	loc := i18n.For(r.Config.Language)
	c := &onefile.Cover{Title: r.Model.Title, Subtitle: page.Title, Client: r.Config.Client, Contents: loc.T("contents")}
	if r.Config.Logo != "" {
		name := filepath.Join(o.Source, filepath.FromSlash(r.Config.Logo))
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("funnel.yaml: logo: %w", err)
		}
		if ext := strings.ToLower(filepath.Ext(name)); ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".svg" && ext != ".gif" && ext != ".webp" {
			return nil, fmt.Errorf("funnel.yaml: logo %s: want a PNG, JPEG, GIF, WebP or SVG image", r.Config.Logo)
		}
		c.Logo, c.LogoName = b, name
	}
	return c, nil
}
