package render

import (
	"html/template"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/i18n"
)

// funcMap is what templates may call. Number helpers take the locale first
// and an analysis.Opt, printing "—" for undefined values.
func funcMap() template.FuncMap {
	return template.FuncMap{
		"count": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK {
				return i18n.Dash
			}
			return l.Int(o.V)
		},
		"pct": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK {
				return i18n.Dash
			}
			return l.Pct(o.V)
		},
		"num": func(l *i18n.Locale, o analysis.Opt, prec int) string {
			if !o.OK {
				return i18n.Dash
			}
			return l.Num(o.V, prec)
		},
		"pp": func(l *i18n.Locale, a, b analysis.Opt) string {
			if !a.OK || !b.OK {
				return i18n.Dash
			}
			return l.PP(a.V - b.V)
		},
		"interval": func(l *i18n.Locale, lo, hi analysis.Opt) string {
			if !lo.OK || !hi.OK {
				return i18n.Dash
			}
			return l.Pct(lo.V) + "…" + l.Pct(hi.V)
		},
		"add":  func(a, b int) int { return a + b },
		"last": func(i, n int) bool { return i == n-1 },
	}
}
