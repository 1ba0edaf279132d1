package render

import (
	"fmt"
	"html/template"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/i18n"
)

// funcMap is what templates may call. Number helpers take the locale first
// and an analysis.Opt, printing "—" for undefined values.
func funcMap() template.FuncMap {
	return template.FuncMap{
		"count": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK() {
				return i18n.Dash
			}
			return l.Int(o.V())
		},
		"pct": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK() {
				return i18n.Dash
			}
			return l.Pct(o.V())
		},
		"num": func(l *i18n.Locale, o analysis.Opt, prec int) string {
			if !o.OK() {
				return i18n.Dash
			}
			return l.Num(o.V(), prec)
		},
		"interval": func(l *i18n.Locale, lo, hi analysis.Opt) string {
			if !lo.OK() || !hi.OK() {
				return i18n.Dash
			}
			return l.PctRange(lo.V(), hi.V())
		},
		// relchange prints a relative change the model holds (CountChange),
		// signed: +12,3%.
		"relchange": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK() {
				return i18n.Dash
			}
			s := l.Pct(o.V())
			if o.V() > 0 {
				s = "+" + s
			}
			return s
		},
		// ppchange prints a change in percentage points the model holds.
		"ppchange": func(l *i18n.Locale, o analysis.Opt) string {
			if !o.OK() {
				return i18n.Dash
			}
			return l.PP(o.V())
		},
		// provisional is the one provisional mark (marks.go).
		"provisional": provisionalMark,
		"add":         func(a, b int) int { return a + b },
		// window is the first and last index of a run of about w items
		// around cur among n, kept inside 0…n−1 (the period switcher).
		"window": func(cur, n, w int) []int {
			lo := max(0, min(cur-w/2, n-w))
			return []int{lo, min(n-1, lo+w-1)}
		},
		// dict builds a map for passing several values to a partial.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"kb":   func(l *i18n.Locale, n int) string { return l.Num(float64(n)/1024, 1) + "\u00a0" + l.T("kb") },
		"last": func(i, n int) bool { return i == n-1 },
	}
}
