package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/markdown"
)

// embedder resolves commentary embeds against the model, for one page:
// period and segment default to the page's own.
type embedder struct {
	d *pageData
	t *template.Template
	// cite, when set, is told what each embed shows (stale commentary).
	cite func(em markdown.Embed, shown []string)
}

// record tells cite what an embed shows: a value's text, or the cells of
// its table ("row · column: text"), or for a chart without a table the
// data of its option.
func (e *embedder) record(em markdown.Embed, value *string, tab *Table, c *charts.Chart) {
	if e.cite == nil {
		return
	}
	var shown []string
	switch {
	case value != nil:
		shown = []string{*value}
	case tab != nil:
		for _, row := range tab.Rows {
			for i, cl := range row.Cells {
				head := ""
				if i+1 < len(tab.Head) {
					head = tab.Head[i+1]
				}
				shown = append(shown, row.Label+" · "+head+": "+cl.Text)
			}
		}
	case c != nil:
		sum := sha256.Sum256([]byte(c.Option))
		shown = []string{cited.ChartData + hex.EncodeToString(sum[:8])}
	}
	e.cite(em, shown)
}

// Names an embed may use, for error messages and the README.
var (
	embedCharts = []string{"conversion", "funnel", "losses", "metric", "segments", "trend"}
	embedTables = []string{"funnel", "glossary", "metrics", "segments"}
	embedValues = []string{"conversion", "count", "cumulative", "drop", "high", "low", "metric", "target"}
	embedParams = map[string][]string{
		"chart": {"period", "segment", "step", "metric"},
		"table": {"period", "segment"},
		"value": {"period", "segment", "step", "metric"},
	}
)

func (e *embedder) resolve(em markdown.Embed) (string, error) {
	allowed, ok := embedParams[em.What]
	if !ok {
		return "", fmt.Errorf("embed: %q is not chart, table or value", em.What)
	}
	for k := range em.Params {
		if !slices.Contains(allowed, k) {
			return "", fmt.Errorf("embed %s %q: unknown parameter %q (use %s)", em.What, em.Name, k, strings.Join(allowed, ", "))
		}
	}
	f, err := e.funnel(em.Params)
	if err != nil {
		return "", err
	}
	switch em.What {
	case "chart":
		if !em.Block {
			return "", fmt.Errorf("embed: a chart needs its own fenced block (```funnel chart=%s```)", em.Name)
		}
		return e.chart(em, f)
	case "table":
		if !em.Block {
			return "", fmt.Errorf("embed: a table needs its own fenced block (```funnel table=%s```)", em.Name)
		}
		return e.table(em, f)
	}
	v, err := e.value(em, f)
	if err == nil {
		e.record(em, &v, nil, nil)
	}
	if err != nil || !em.Block {
		return template.HTMLEscapeString(v), err
	}
	return `<p class="embed-value">` + template.HTMLEscapeString(v) + "</p>", nil
}

// funnel picks the funnel named by period= and segment= (dim:value or
// dim=value), defaulting to the page's.
func (e *embedder) funnel(p map[string]string) (*analysis.Funnel, error) {
	m := e.d.M
	period := e.d.Page.Period
	if v, ok := p["period"]; ok {
		if !slices.Contains(m.Periods, v) {
			return nil, fmt.Errorf("embed: no period %q in the data (periods: %s)", v, strings.Join(m.Periods, ", "))
		}
		period = v
	}
	if period == "" {
		period = m.Latest
	}
	seg := e.d.Page.Segment
	if v, ok := p["segment"]; ok {
		s, err := parseSegment(m, v)
		if err != nil {
			return nil, err
		}
		seg = s
	}
	f := m.Funnel(period, seg)
	if f == nil {
		return nil, fmt.Errorf("embed: no data for segment %q in %s", seg.String(), period)
	}
	return f, nil
}

func parseSegment(m *analysis.Model, v string) (analysis.Segment, error) {
	if v == "" || v == "all" {
		return analysis.All, nil
	}
	dim, val, ok := strings.Cut(v, ":")
	if !ok {
		dim, val, ok = strings.Cut(v, "=")
	}
	var names []string
	for _, s := range m.Segments {
		if !s.IsAll() {
			if ok && s.Dim == dim && s.Value == val {
				return s, nil
			}
			names = append(names, s.Dim+":"+s.Value)
		}
	}
	return analysis.All, fmt.Errorf("embed: no segment %q (segments: all, %s)", v, strings.Join(names, ", "))
}

func (e *embedder) step(em markdown.Embed) (int, error) {
	id, ok := em.Params["step"]
	if !ok {
		return 0, fmt.Errorf("embed %s %q: say which step (step=…; steps: %s)", em.What, em.Name, e.stepIDs())
	}
	i := e.d.M.StepIndex(id)
	if i < 0 {
		return 0, fmt.Errorf("embed: no step %q (steps: %s)", id, e.stepIDs())
	}
	return i, nil
}

func (e *embedder) stepIDs() string {
	ids := make([]string, len(e.d.M.Steps))
	for i, s := range e.d.M.Steps {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

func (e *embedder) metric(em markdown.Embed) (int, error) {
	id, ok := em.Params["metric"]
	i := e.d.M.MetricIndex(id)
	if !ok || i < 0 {
		ids := make([]string, len(e.d.M.Metrics))
		for j, x := range e.d.M.Metrics {
			ids[j] = x.ID
		}
		if !ok {
			return 0, fmt.Errorf("embed %s %q: say which metric (metric=…; metrics: %s)", em.What, em.Name, strings.Join(ids, ", "))
		}
		return 0, fmt.Errorf("embed: no metric %q (metrics: %s)", id, strings.Join(ids, ", "))
	}
	return i, nil
}

// transition returns the transition into step= (not the first step).
func (e *embedder) transition(em markdown.Embed, f *analysis.Funnel) (analysis.Transition, error) {
	i, err := e.step(em)
	if err != nil {
		return analysis.Transition{}, err
	}
	if i == 0 {
		return analysis.Transition{}, fmt.Errorf("embed: %q is the first step; it has no %s (it is the funnel's entry)", e.d.M.Steps[0].ID, em.Name)
	}
	return f.Transitions[i-1], nil
}

func (e *embedder) chart(em markdown.Embed, f *analysis.Funnel) (string, error) {
	d := e.d
	var c *charts.Chart
	var tab *Table
	note := ""
	switch em.Name {
	case "funnel":
		// The funnel is bars at true proportion, as on the pages.
		var prev *analysis.Funnel
		if p := d.M.PrevPeriod(f.Period); p != "" {
			prev = d.M.Funnel(p, f.Segment)
		}
		b, tb := funnelBars(d, f, prev), funnelTable(d, f)
		if b != nil && em.Caption != "" {
			b.Title, b.Caption = em.Caption, em.Caption
		}
		even(d.L, tb)
		e.record(em, nil, tb, nil)
		return e.exec("partials/embed-bars.html", map[string]any{"Bars": b, "Table": tb, "L": d.L, "Page": d.Page})
	case "conversion":
		c, tab = conversionChart(d, f), funnelTable(d, f)
	case "losses":
		c, note = lossesChart(d, f)
		tab = funnelTable(d, f)
	case "segments":
		c, tab = segmentsView(d, f.Period)
	case "trend":
		i, err := e.step(em)
		if err != nil {
			return "", err
		}
		if i == 0 {
			return "", fmt.Errorf("embed: %q is the first step; a trend needs a later step", em.Params["step"])
		}
		c = rateTrend(d, i, f.Segment)
	case "metric":
		i, err := e.metric(em)
		if err != nil {
			return "", err
		}
		c = metricTrend(d, i, f.Segment)
	default:
		return "", fmt.Errorf("embed: unknown chart %q (charts: %s)", em.Name, strings.Join(embedCharts, ", "))
	}
	if em.Caption != "" && c != nil {
		c.Title = em.Caption
	}
	even(d.L, tab)
	e.record(em, nil, tab, c)
	return e.exec("partials/embed-chart.html", map[string]any{"Chart": c, "Table": tab, "Note": note, "L": d.L, "Page": d.Page})
}

func (e *embedder) table(em markdown.Embed, f *analysis.Funnel) (string, error) {
	d := e.d
	var tab *Table
	switch em.Name {
	case "funnel":
		tab = funnelTable(d, f)
	case "metrics":
		tab = metricsTable(d, f, nil, nil)
	case "segments":
		_, tab = segmentsView(d, f.Period)
	case "glossary":
		// The exact terms behind the pages' plain words (method page):
		// fixed text, not data, so nothing is cited for stale checks.
		title := em.Caption
		if title == "" {
			title = d.L.T("glossary")
		}
		return e.exec("partials/glossary.html", map[string]any{"Terms": d.L.Glossary(), "Title": title, "L": d.L})
	default:
		return "", fmt.Errorf("embed: unknown table %q (tables: %s)", em.Name, strings.Join(embedTables, ", "))
	}
	if tab != nil && em.Caption != "" {
		tab.Caption = em.Caption
	}
	even(d.L, tab)
	e.record(em, nil, tab, nil)
	return e.exec("partials/embed-table.html", map[string]any{"Table": tab, "L": d.L, "Page": d.Page})
}

func (e *embedder) value(em markdown.Embed, f *analysis.Funnel) (string, error) {
	l := e.d.L
	pct := func(o analysis.Opt) string {
		if !o.OK() {
			return i18n.Dash
		}
		return l.Pct(o.V())
	}
	switch em.Name {
	case "count":
		i, err := e.step(em)
		if err != nil {
			return "", err
		}
		if !f.Counts[i].OK() {
			return i18n.Dash, nil
		}
		return l.Int(f.Counts[i].V()), nil
	case "conversion", "cumulative", "drop", "low", "high":
		t, err := e.transition(em, f)
		if err != nil {
			return "", err
		}
		switch em.Name {
		case "conversion":
			return pct(t.Rate), nil
		case "cumulative":
			return pct(t.Cumulative), nil
		case "low":
			return pct(t.Low), nil
		case "high":
			return pct(t.High), nil
		}
		if !t.Drop.OK() {
			return i18n.Dash, nil
		}
		return l.Int(t.Drop.V()), nil
	case "target":
		if _, ok := em.Params["metric"]; ok {
			i, err := e.metric(em)
			if err != nil {
				return "", err
			}
			return prose(e.d, e.d.M.Metrics[i], e.d.M.Metrics[i].Target), nil
		}
		i, err := e.step(em)
		if err != nil {
			return "", err
		}
		return pct(e.d.M.Steps[i].Target), nil
	case "metric":
		i, err := e.metric(em)
		if err != nil {
			return "", err
		}
		return prose(e.d, e.d.M.Metrics[i], f.Metrics[i]), nil
	}
	names := append([]string(nil), embedValues...)
	sort.Strings(names)
	return "", fmt.Errorf("embed: unknown value %q (values: %s)", em.Name, strings.Join(names, ", "))
}

func (e *embedder) exec(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := e.t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("embed: %w", err)
	}
	return buf.String(), nil
}

// prose is a metric value as a sentence of commentary says it (no
// trailing zero, the unit in full: «11 дней»), where a table cell would
// print «11,0 дн.».
func prose(d *pageData, x analysis.Metric, o analysis.Opt) string {
	if !o.OK() {
		return i18n.Dash
	}
	return d.L.Prose(o.V(), x.Unit, d.M.Currency)
}
