package render

import (
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/markdown"
	"github.com/funnel-report/funnel/internal/report"
)

// Citations returns what every embed of the site's commentary shows, as
// displayed, in file and line order: the record `funnel check` compares
// with the accepted one to find stale commentary. Only the commentary is
// converted; no page is drawn.
func (r *Renderer) Citations(s *report.Site) ([]cited.Citation, error) {
	loc := i18n.For(s.Model.Language).WithDims(s.Model.DimNames)
	pc := &pageContext{site: s, loc: loc}
	var out []cited.Citation
	for _, p := range s.Pages {
		if p.Doc == nil {
			continue
		}
		doc := p.Doc
		e := &embedder{d: r.newPageData(pc, p), t: r.tmpl.kinds[p.Kind]}
		e.cite = func(em markdown.Embed, shown []string) {
			label := em.Name
			if em.What != "value" {
				label += " " + em.What
			}
			out = append(out, cited.Citation{File: doc.Path, Line: em.Line, Embed: embedKey(em), Label: label, Shown: shown})
		}
		if _, err := r.md.Convert(markdown.Source{Body: doc.Body, File: doc.Path, Line: doc.BodyLine, Resolve: e.resolve}); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, nil
}

// embedKey names an embed by what it shows, not where: `value
// conversion period=2025-Q3 step=deals`.
func embedKey(em markdown.Embed) string {
	keys := make([]string, 0, len(em.Params))
	for k := range em.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := []string{em.What, em.Name}
	for _, k := range keys {
		parts = append(parts, k+"="+em.Params[k])
	}
	return strings.Join(parts, " ")
}
