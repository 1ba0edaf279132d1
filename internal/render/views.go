package render

import (
	"cmp"
	"html/template"
	"slices"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Table is a plain data table: the numbers behind a chart, readable
// without JavaScript, by screen readers and on paper.
type Table struct {
	Caption string
	// Quiet: a chart just above says the same title, so the caption is
	// for screen readers only (said once on screen).
	Quiet bool
	Head  []string // column titles; the first heads the row labels
	Rows  []Row
}

// Row is one table row; Link (site-root path) makes its label a link. A
// Group row has no cells: it heads the rows below it across the table.
type Row struct {
	Label string
	Link  string
	Class string
	Cells []Cell
	Group bool
}

// Cell is one number of a row.
type Cell struct {
	Text  string
	Class string
	// num and kind keep the number a pct or count cell prints, so the
	// column pass (columns.go) can even out its column.
	num  float64
	kind numKind
	// Flag is a hint shown as a marker with a tooltip: Mark, or "↑" (an
	// open funnel) when Mark is empty.
	Flag string
	Mark string
	// After holds the number's qualifiers (marks.go): provisional, small
	// sample, the window of a tested rate.
	After template.HTML
}

func cell(s string) Cell { return Cell{Text: s} }

// chartValue is o as a chart value: a number, or nil for a gap.
func chartValue(o analysis.Opt) any { return charts.Value(o.V(), o.OK()) }

// transitionLabel names a transition "from → to".
func transitionLabel(m *analysis.Model, t analysis.Transition) string {
	return m.Steps[t.From].Name + " → " + m.Steps[t.To].Name
}

func stepNames(m *analysis.Model) []string {
	out := make([]string, len(m.Steps))
	for i, s := range m.Steps {
		out[i] = s.Name
	}
	return out
}

// conversionChart draws f's step conversions with interval and target.
func conversionChart(d *pageData, f *analysis.Funnel) *charts.Chart {
	n := len(f.Transitions)
	labels := make([]string, n)
	rates, lows, highs, refs := make([]any, n), make([]any, n), make([]any, n), make([]any, n)
	of := make([]charts.Of, n)
	for i, t := range f.Transitions {
		// The tested rate (r^W for records), with the reference it is
		// held to.
		// Its value is labelled beside the bar (charts.Conversion): a 4%
		// bar is a sliver on a 0–100% axis.
		labels[i] = transitionLabel(d.M, t)
		// The counts behind the rate, when the drawn rate is the plain one.
		if t.Tested == t.Rate {
			of[i] = charts.Of{K: chartValue(f.Counts[t.To]), N: chartValue(f.Counts[t.From])}
		}
		rates[i], lows[i], highs[i] = chartValue(t.Tested), chartValue(t.TestedLow), chartValue(t.TestedHigh)
		refs[i] = chartValue(t.Ref)
		if t.Window.OK() {
			labels[i] += " (" + d.L.Tf("within_days", d.format(analysis.UnitDays, t.Window.V())) + ")"
		}
		if t.Small {
			labels[i] += " (" + d.L.T("small_sample") + ")"
		}
		if t.Provisional {
			labels[i] += provisionalText(d.L)
		}
	}
	if !charts.HasData(rates) {
		return nil
	}
	c := charts.Conversion(d.nextID(), d.L.T("chart_conversion"), labels, rates, lows, highs, refs,
		charts.ConversionNames{Rate: d.L.T("step_conversion"), Interval: d.L.T("interval95"), Reference: d.L.T("reference")}, of)
	return &c
}

// lossesChart draws who moved on and who was lost at each transition. When
// the first step dwarfs the second (site visits against requests) it starts
// at the second step, so the later, smaller steps stay visible; the note
// says so.
func lossesChart(d *pageData, f *analysis.Funnel) (*charts.Chart, string) {
	start, note := 0, ""
	if len(f.Counts) > 2 && f.Counts[0].OK() && f.Counts[1].OK() && f.Counts[0].V() > 10*f.Counts[1].V() {
		start = 1
		note = d.L.Tf("losses_from", d.M.Steps[1].Name, d.M.Steps[0].Name, d.L.Pct(f.Transitions[0].Rate.V()))
	}
	var labels []string
	var kept, lost []any
	for _, t := range f.Transitions[start:] {
		if !t.Drop.OK() {
			continue
		}
		labels = append(labels, transitionLabel(d.M, t))
		kept = append(kept, chartValue(f.Counts[t.To]))
		if t.Drop.V() >= 0 {
			lost = append(lost, charts.Value(t.Drop.V(), true))
		} else {
			lost = append(lost, nil)
		}
	}
	if len(labels) == 0 {
		return nil, ""
	}
	c := charts.Losses(d.nextID(), d.L.T("chart_losses"), labels, kept, lost, d.L.T("moved_on"), d.L.T("lost"))
	return &c, note
}

// segmentsView builds the segment × transition heatmap and its table for
// a period: each cell is the segment's step conversion, coloured by its
// ratio to the all-segment rate.
func segmentsView(d *pageData, period string) (*charts.Chart, *Table) {
	m := d.M
	all := m.Funnel(period, analysis.All)
	if all == nil || len(m.Dims) == 0 || len(all.Transitions) == 0 {
		return nil, nil
	}
	cols := make([]string, len(all.Transitions))
	head := []string{d.L.T("segment")}
	for i, t := range all.Transitions {
		cols[i] = "→ " + m.Steps[t.To].Name
		head = append(head, transitionLabel(m, t))
	}
	head = append(head, d.L.T("overall_conversion"))
	tab := &Table{Caption: d.L.T("segments_table"), Head: head}
	var rows []string
	var rates, rel [][]any
	var small [][]bool
	some := false
	grid := analysis.Grid{}
	if diag := m.Diagnosis(period); diag != nil {
		grid = diag.Grid
	}
	addRow := func(seg analysis.Segment, label string) {
		f := m.Funnel(period, seg)
		if f == nil {
			return
		}
		g := grid.Row(f.SegmentKey)
		r := Row{Label: label}
		if p := d.Site.SegmentPage(seg); p != nil {
			r.Link = p.Path
		}
		if seg.IsAll() {
			r.Class = "total"
		}
		rr, qq := make([]any, len(f.Transitions)), make([]any, len(f.Transitions))
		ss := make([]bool, len(f.Transitions))
		for i, t := range f.Transitions {
			r.Cells = append(r.Cells, d.rateCell(t))
			rr[i] = chartValue(t.Rate)
			if g >= 0 {
				qq[i], ss[i] = chartValue(grid.Relative[g][i]), grid.Small[g][i]
			}
			if t.Rate.OK() && !seg.IsAll() {
				some = true
			}
		}
		r.Cells = append(r.Cells, pctCell(d.L, f.Transitions[len(f.Transitions)-1].Cumulative))
		tab.Rows = append(tab.Rows, r)
		if !seg.IsAll() {
			rows = append(rows, label)
			rates = append(rates, rr)
			rel = append(rel, qq)
			small = append(small, ss)
		}
	}
	addRow(analysis.All, d.L.T("all_segments"))
	for _, dim := range m.Dims {
		segs, total, cut := shown(m, period, dim)
		if cut {
			tab.Rows = append(tab.Rows, d.groupRow(dim, total))
		}
		for _, seg := range segs {
			addRow(seg, d.L.Dim(seg.Dim)+": "+seg.Value)
		}
	}
	if !some {
		return nil, nil
	}
	c := charts.Heatmap(d.nextID(), d.L.T("chart_segments"), cols, rows, rates, rel, small)
	return &c, tab
}

func pctCell(l *i18n.Locale, o analysis.Opt) Cell {
	if !o.OK() {
		return cell(i18n.Dash)
	}
	return Cell{Text: l.Pct(o.V()), num: o.V(), kind: numPct}
}

func countCell(l *i18n.Locale, o analysis.Opt) Cell {
	if !o.OK() {
		return cell(i18n.Dash)
	}
	return Cell{Text: l.Int(o.V()), num: o.V(), kind: numInt}
}

// funnelTable is f step by step: count, conversion with interval,
// cumulative, drop-off and the analysis reference with its source.
func funnelTable(d *pageData, f *analysis.Funnel) *Table {
	l := d.L
	t := &Table{Caption: l.T("funnel_table"), Head: []string{l.T("step"), l.T("count"), l.T("step_conversion"),
		l.T("interval95"), l.T("cumulative"), l.T("dropoff"), l.T("reference")}}
	for i, s := range d.M.Steps {
		r := Row{Label: s.Name, Cells: []Cell{countCell(l, f.Counts[i])}}
		if i == 0 {
			first := cell(i18n.Dash)
			if f.Counts[0].OK() {
				first = pctCell(l, analysis.Some(1))
			}
			r.Cells = append(r.Cells, cell(i18n.Dash), cell(i18n.Dash), first, cell(i18n.Dash), cell(i18n.Dash))
		} else {
			tr := f.Transitions[i-1]
			rate := d.testedCell(tr)
			if tr.Open {
				rate.Flag = l.T("open_funnel_hint")
			}
			ref := pctCell(l, tr.Ref)
			if tr.Ref.OK() {
				ref.Text += " (" + l.T("refshort_"+tr.RefSource.String()) + ")"
				if tr.Confident {
					rate.Class = joinClass(rate.Class, "bad")
				}
			}
			iv := cell(i18n.Dash)
			if tr.TestedLow.OK() && tr.TestedHigh.OK() {
				iv = cell(l.PctRange(tr.TestedLow.V(), tr.TestedHigh.V()))
			}
			iv.Class = "muted"
			r.Cells = append(r.Cells, rate, iv, pctCell(l, tr.Cumulative), countCell(l, tr.Drop), ref)
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// metricsTable lists the model's metrics (or those of one stage) for a
// funnel, against target and the previous period.
func metricsTable(d *pageData, f, prev *analysis.Funnel, ids []string) *Table {
	l, m := d.L, d.M
	t := &Table{Caption: l.T("metrics_table"), Head: []string{l.T("metric"), l.T("value"), l.T("target"), l.T("previous")}}
	some := false
	for i, x := range m.Metrics {
		if ids != nil && !slices.Contains(ids, x.ID) {
			continue
		}
		r := Row{Label: x.Name, Cells: []Cell{metricCell(d, x, f.Metrics[i]), metricCell(d, x, x.Target)}}
		if prev != nil {
			r.Cells = append(r.Cells, metricCell(d, x, prev.Metrics[i]))
		} else {
			r.Cells = append(r.Cells, cell(i18n.Dash))
		}
		if f.Metrics[i].OK() {
			some = true
		}
		if x.Direction == "lower" {
			r.Cells[1].Text = "≤ " + r.Cells[1].Text
		} else if x.Target.OK() {
			r.Cells[1].Text = "≥ " + r.Cells[1].Text
		}
		if !x.Target.OK() {
			r.Cells[1].Text = i18n.Dash
		}
		t.Rows = append(t.Rows, r)
	}
	if !some {
		return nil
	}
	return t
}

func metricCell(d *pageData, x analysis.Metric, o analysis.Opt) Cell {
	if !o.OK() {
		return cell(i18n.Dash)
	}
	return cell(d.L.Value(o.V(), x.Unit, d.M.Currency))
}

// periodView fills the home and period pages: the full report of a period.
func periodView(d *pageData) {
	f := d.Funnel
	if f == nil {
		return
	}
	d.Bars = funnelBars(d, f, d.Prev)
	d.Charts["conversion"] = conversionChart(d, f)
	d.Charts["losses"], d.Notes["losses"] = lossesChart(d, f)
	d.Charts["segments"], d.Tables["segments"] = segmentsView(d, f.Period)
	for _, dim := range d.M.Dims {
		if _, _, cut := shown(d.M, f.Period, dim); cut {
			d.Notes["segments"] = d.L.T("segments_note") + " " + d.L.Tf("segments_cut", topN, d.volumeName())
			break
		}
	}
	d.Tables["funnel"] = funnelTable(d, f)
	d.Tables["metrics"] = metricsTable(d, f, d.Prev, nil)
}

// segmentView fills a segment page: its funnel in the latest period, how
// it compares with all segments, and its conversion over time.
func segmentView(d *pageData) {
	f, m, l := d.Funnel, d.M, d.L
	if f == nil {
		return
	}
	d.Bars = funnelBars(d, f, d.Prev)
	d.Charts["conversion"] = conversionChart(d, f)
	d.Tables["funnel"] = funnelTable(d, f)
	// This segment against the other segments of its dimension — never
	// against a total that contains it (the analysis' reference and loss).
	cmp := &Table{Caption: l.T("vs_all_table"), Head: []string{l.T("transition"), d.Page.Title, l.T("other_segments"), l.T("difference"), d.countedT("lost_clients")}}
	for _, t := range f.Transitions {
		a := t.Others
		// The difference is the analysis' (tested rate − the others');
		// red only where its test survived the period's family.
		diff := cell(d.formatOpt(analysis.UnitPP, t.VsOthers))
		if t.SegmentConfident {
			diff.Class = "bad"
		}
		// Loss: clients this segment lost at the step against the other
		// segments (the analysis' segment loss).
		loss := cell(i18n.Dash)
		if t.Loss.OK() && t.Loss.V() > 0 {
			loss = Cell{Text: d.format(analysis.UnitCount, t.Loss.V()), Class: "bad"}
		}
		cmp.Rows = append(cmp.Rows, Row{Label: transitionLabel(m, t), Cells: []Cell{d.testedCell(t), pctCell(l, a), diff, loss}})
	}
	d.Tables["compare"] = cmp
	// Overall conversion over time: this segment against all.
	last := len(m.Steps) - 2
	if last >= 0 {
		ps := d.trendPeriods()
		mine, total := make([]any, len(ps)), make([]any, len(ps))
		tab := &Table{Caption: l.T("overall_trend_table"), Head: []string{l.T("period"), d.Page.Title, l.T("all_segments")}}
		for i, p := range ps {
			a, b := overall(m.Funnel(p, f.Segment), last), overall(m.Funnel(p, analysis.All), last)
			mine[i], total[i] = chartValue(a), chartValue(b)
			tab.Rows = append(tab.Rows, Row{Label: l.Period(p), Link: periodLink(d, p),
				Cells: []Cell{d.overallCell(m.Funnel(p, f.Segment)), d.overallCell(m.Funnel(p, analysis.All))}})
		}
		if charts.HasData(mine) {
			c := charts.Trend(d.nextID(), l.T("chart_overall_trend"), periodNames(d), []charts.Series{
				{Name: d.Page.Title, Values: mine}, {Name: l.T("all_segments"), Values: total}}, nil, "", charts.Percent)
			d.Charts["trend"] = &c
			d.Tables["trend"] = tab
		}
	}
	d.Tables["metrics"], d.Notes["metrics"] = segmentMetrics(d, metricsTable(d, f, d.Prev, nil))
}

// segmentMetrics keeps the metrics a segment has: most stage metrics are
// measured for the whole funnel only, and rows of dashes say nothing. The
// note names the ones left out (all of them: no table, only the note).
func segmentMetrics(d *pageData, t *Table) (*Table, string) {
	var names []string
	all := []string{}
	for _, x := range d.M.Metrics {
		all = append(all, x.Name)
	}
	if t == nil {
		if len(all) == 0 {
			return nil, ""
		}
		return nil, d.L.Tf("metrics_not_segmented_all", strings.Join(all, ", "))
	}
	kept := t.Rows[:0:0]
	for _, r := range t.Rows {
		if r.Cells[0].Text == i18n.Dash && r.Cells[2].Text == i18n.Dash {
			names = append(names, r.Label)
			continue
		}
		kept = append(kept, r)
	}
	t.Rows = kept
	if len(names) == 0 {
		return t, ""
	}
	return t, d.L.Tf("metrics_not_segmented", strings.Join(names, ", "))
}

func overall(f *analysis.Funnel, last int) analysis.Opt {
	if f == nil || last < 0 || last >= len(f.Transitions) {
		return analysis.None
	}
	return f.Transitions[last].Cumulative
}

func periodNames(d *pageData) []string {
	ps := d.trendPeriods()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = d.L.Period(p)
	}
	return out
}

// trendPeriods are the periods a chart or table over time shows: the
// last trendWindow, so that a long series keeps every page small (144
// months made the trends page 376 KB); each period has its page and the
// downloads carry them all.
func (d *pageData) trendPeriods() []string {
	ps := d.M.Periods
	return ps[max(0, len(ps)-trendWindow):]
}

// trendWindow is how many periods a trend shows: three years of months.
const trendWindow = 36

func periodLink(d *pageData, p string) string {
	if pg := d.Site.PeriodPage(p); pg != nil {
		return pg.Path
	}
	return ""
}

// chartSeries keeps the all-segments line and the analysis.FoldTop
// largest segments of dim (by volume in the latest period) and draws the
// others as one "other (N)" line: the model's pooled conversion
// (Model.Folds), so a palette of eight never repeats a colour and the
// legend stays short. The table beside the chart keeps every segment.
func chartSeries(d *pageData, dim string, series []charts.Series) []charts.Series {
	fd := d.M.Fold(dim)
	if len(series) <= analysis.FoldTop+1 || fd == nil {
		return series
	}
	out := []charts.Series{series[0]}
	for _, s := range series[1:] {
		if slices.Contains(fd.Top, s.Name) {
			out = append(out, s)
		}
	}
	vals := make([]any, len(d.trendPeriods()))
	for i, p := range d.trendPeriods() {
		if pi := d.M.PeriodIndex(p); pi >= 0 && pi < len(fd.Periods) {
			vals[i] = chartValue(fd.Periods[pi].Rate)
		}
	}
	if charts.HasData(vals) {
		out = append(out, charts.Series{Name: d.L.Tf("other_segments_n", len(fd.Rest)), Values: vals, Other: true})
	}
	return out
}

// rateTrend is one transition's conversion over the periods with its
// target line; without a configured target, the analysis reference of
// each period (best of the previous periods or the segment median) is
// drawn as a second line, so the chart shows what the rate is held to.
func rateTrend(d *pageData, to int, seg analysis.Segment) *charts.Chart {
	m := d.M
	vals := make([]any, len(d.trendPeriods()))
	refs := make([]any, len(d.trendPeriods()))
	for i, p := range d.trendPeriods() {
		if f := m.Funnel(p, seg); f != nil {
			vals[i] = chartValue(f.Transitions[to-1].Rate)
			refs[i] = chartValue(f.Transitions[to-1].Ref)
		}
	}
	if !charts.HasData(vals) {
		return nil
	}
	series := []charts.Series{{Name: d.L.T("step_conversion"), Values: vals}}
	target := m.Steps[to].Target
	if !target.OK() && charts.HasData(refs) {
		series = append(series, charts.Series{Name: d.L.T("reference"), Values: refs})
	}
	t := analysis.Transition{From: to - 1, To: to}
	c := charts.Trend(d.nextID(), transitionLabel(m, t), periodNames(d), series, chartValue(target), d.L.T("target"), charts.Percent)
	return &c
}

// countTrend is one step's count over the periods.
func countTrend(d *pageData, i int, seg analysis.Segment) *charts.Chart {
	m := d.M
	vals := make([]any, len(d.trendPeriods()))
	for j, p := range d.trendPeriods() {
		if f := m.Funnel(p, seg); f != nil {
			vals[j] = chartValue(f.Counts[i])
		}
	}
	if !charts.HasData(vals) {
		return nil
	}
	c := charts.Trend(d.nextID(), m.Steps[i].Name, periodNames(d), []charts.Series{{Name: m.Steps[i].Name, Values: vals}}, nil, "", charts.Int)
	return &c
}

// metricTrend is one metric over the periods with its target line.
func metricTrend(d *pageData, i int, seg analysis.Segment) *charts.Chart {
	m := d.M
	x := m.Metrics[i]
	vals := make([]any, len(d.trendPeriods()))
	for j, p := range d.trendPeriods() {
		if f := m.Funnel(p, seg); f != nil {
			vals[j] = chartValue(f.Metrics[i])
		}
	}
	if !charts.HasData(vals) {
		return nil
	}
	c := charts.Trend(d.nextID(), x.Name, periodNames(d), []charts.Series{{Name: x.Name, Values: vals}},
		chartValue(x.Target), d.L.T("target"), unitFormat(x.Unit, m.Currency))
	return &c
}

func unitFormat(unit, currency string) charts.Format {
	switch unit {
	case "money":
		return charts.MoneyIn(currency)
	case "count":
		return charts.Int
	case "percent":
		return charts.Percent
	case "days":
		return charts.Days
	case "hours":
		return charts.Hours
	}
	return charts.Number
}

// stageView fills a stage page: the conversions into its steps and its
// metrics over time, with a table of every period.
func stageView(d *pageData) {
	st, m, l := d.Stage, d.M, d.L
	if st == nil {
		return
	}
	head := []string{l.T("period")}
	var steps, mets []int
	for _, id := range st.Steps {
		i := m.StepIndex(id)
		steps = append(steps, i)
		head = append(head, m.Steps[i].Name)
		if c := countTrend(d, i, analysis.All); c != nil {
			d.Grids["counts"] = append(d.Grids["counts"], c)
		}
		if i > 0 {
			head = append(head, "→ "+m.Steps[i].Name)
			if c := rateTrend(d, i, analysis.All); c != nil {
				d.Grids["rates"] = append(d.Grids["rates"], c)
			}
		}
	}
	for _, id := range st.Metrics {
		i := m.MetricIndex(id)
		mets = append(mets, i)
		head = append(head, m.Metrics[i].Name)
		if c := metricTrend(d, i, analysis.All); c != nil {
			d.Grids["metrics"] = append(d.Grids["metrics"], c)
		}
	}
	if len(steps)+len(mets) == 0 {
		return
	}
	d.Tables["checks"] = stageChecks(d, st)
	tab := &Table{Caption: l.T("stage_table"), Head: head}
	some := false
	for _, p := range d.trendPeriods() {
		f := m.Funnel(p, analysis.All)
		r := Row{Label: l.Period(p), Link: periodLink(d, p)}
		for _, i := range steps {
			r.Cells = append(r.Cells, countCell(l, f.Counts[i]))
			some = some || f.Counts[i].OK()
			if i > 0 {
				r.Cells = append(r.Cells, d.rateCell(f.Transitions[i-1]))
			}
		}
		for _, i := range mets {
			r.Cells = append(r.Cells, metricCell(d, m.Metrics[i], f.Metrics[i]))
			some = some || f.Metrics[i].OK()
		}
		tab.Rows = append(tab.Rows, r)
	}
	if some {
		d.Tables["stage"] = tab
	}
}

// trendsView fills the trends page: every transition's conversion over
// time against its target, overall conversion by segment, and the counts.
func trendsView(d *pageData) {
	m, l := d.M, d.L
	if n := len(m.Periods); n > trendWindow {
		d.Notes["recent"] = l.Tf("trends_recent", trendWindow, n)
	}
	for i := 1; i < len(m.Steps); i++ {
		if c := rateTrend(d, i, analysis.All); c != nil {
			d.Grids["rates"] = append(d.Grids["rates"], c)
		}
	}
	// Overall conversion by segment, one chart per dimension (all
	// segments as the reference line), each with its table.
	last := len(m.Steps) - 2
	if last >= 0 {
		total := make([]any, len(d.trendPeriods()))
		for i, p := range d.trendPeriods() {
			total[i] = chartValue(overall(m.Funnel(p, analysis.All), last))
		}
		for _, dim := range m.Dims {
			series := []charts.Series{{Name: l.T("all_segments"), Values: total, Total: true}}
			segs, nvalues, cut := shown(m, m.Latest, dim)
			for _, seg := range segs {
				vals := make([]any, len(d.trendPeriods()))
				for i, p := range d.trendPeriods() {
					vals[i] = chartValue(overall(m.Funnel(p, seg), last))
				}
				if charts.HasData(vals) {
					series = append(series, charts.Series{Name: seg.Value, Values: vals})
				}
			}
			if len(series) < 2 {
				continue
			}
			title := l.Tf("chart_overall_by", l.Dim(dim))
			if cut {
				title += " — " + d.topOf(nvalues)
			}
			c := charts.Trend(d.nextID(), title, periodNames(d), chartSeries(d, dim, series), nil, "", charts.Percent)
			c.Height = 320 + 24*max(0, (min(len(series), analysis.FoldTop+2)-1)/4)
			tab := overallTable(d, title, series, last)
			d.Grids["overall"] = append(d.Grids["overall"], &c)
			d.Lists = append(d.Lists, tab)
		}
	}
	counts := &Table{Caption: l.T("counts_table"), Head: append([]string{l.T("period")}, stepNames(m)...)}
	rates := &Table{Caption: l.T("rates_table"), Head: []string{l.T("period")}}
	for i := 1; i < len(m.Steps); i++ {
		rates.Head = append(rates.Head, transitionLabel(m, analysis.Transition{From: i - 1, To: i}))
	}
	rates.Head = append(rates.Head, l.T("overall_conversion"))
	for _, p := range d.trendPeriods() {
		f := m.Funnel(p, analysis.All)
		cr := Row{Label: l.Period(p), Link: periodLink(d, p)}
		rr := Row{Label: l.Period(p), Link: periodLink(d, p)}
		for _, c := range f.Counts {
			cr.Cells = append(cr.Cells, countCell(l, c))
		}
		for _, t := range f.Transitions {
			rr.Cells = append(rr.Cells, d.rateCell(t))
		}
		rr.Cells = append(rr.Cells, d.overallCell(f))
		counts.Rows = append(counts.Rows, cr)
		rates.Rows = append(rates.Rows, rr)
	}
	// The counts section's heading is the counts table's caption: said once.
	counts.Quiet = counts.Caption == d.L.T("counts_table")
	d.Tables["counts"], d.Tables["rates"] = counts, rates
}

// overallTable is the table beside an overall-conversion chart: a row
// per period, a column per series, provisional periods marked.
func overallTable(d *pageData, title string, series []charts.Series, last int) *Table {
	l, m := d.L, d.M
	tab := &Table{Caption: title, Head: []string{l.T("period")}}
	for _, s := range series {
		tab.Head = append(tab.Head, s.Name)
	}
	for i, p := range d.trendPeriods() {
		r := Row{Label: l.Period(p), Link: periodLink(d, p)}
		f := m.Funnel(p, analysis.All)
		for _, s := range series {
			v, ok := s.Values[i].(float64)
			c := pctCell(l, analysis.Maybe(v, ok))
			if ok && f != nil {
				d.markProvisional(&c, f.CumulativeProvisional(last))
			}
			r.Cells = append(r.Cells, c)
		}
		tab.Rows = append(tab.Rows, r)
	}
	return tab
}

// dataTables are the data page's tables: all segments in every period,
// and every segment in the latest period. The page stays light on a big
// site; the downloads carry every funnel.
func dataTables(d *pageData) (byPeriod, bySegment *Table) {
	m, l := d.M, d.L
	head := append(append([]string{}, stepNames(m)...), l.T("overall_conversion"))
	row := func(r Row, f *analysis.Funnel) Row {
		for _, c := range f.Counts {
			r.Cells = append(r.Cells, countCell(l, c))
		}
		r.Cells = append(r.Cells, d.overallCell(f))
		return r
	}
	byPeriod = &Table{Caption: l.T("data_by_period"), Head: append([]string{l.T("period")}, head...)}
	for _, p := range m.Periods {
		if f := m.Funnel(p, analysis.All); f != nil {
			byPeriod.Rows = append(byPeriod.Rows, row(Row{Label: l.Period(p), Link: periodLink(d, p)}, f))
		}
	}
	if len(m.Dims) == 0 || m.Latest == "" {
		return byPeriod, nil
	}
	bySegment = &Table{Caption: l.Tf("data_by_segment", l.Period(m.Latest)), Head: append([]string{l.T("segment")}, head...)}
	if f := m.Funnel(m.Latest, analysis.All); f != nil {
		bySegment.Rows = append(bySegment.Rows, row(Row{Label: l.T("all_segments"), Class: "total"}, f))
	}
	for _, dim := range m.Dims {
		segs, total, cut := shown(m, m.Latest, dim)
		if cut {
			bySegment.Rows = append(bySegment.Rows, d.groupRow(dim, total))
		}
		for _, seg := range segs {
			if f := m.Funnel(m.Latest, seg); f != nil {
				bySegment.Rows = append(bySegment.Rows, row(d.segmentRow(seg), f))
			}
		}
	}
	return byPeriod, bySegment
}

// chainsTable lists the windowFunnel counts of ClickHouse sources with
// chain_window_days (nil when there are none): leads per step that made the
// chain from step 1 within the window, and their share of step 1.
func chainsTable(d *pageData) *Table {
	p := d.M.Provenance
	if p == nil || len(p.Chains) == 0 {
		return nil
	}
	l := d.L
	names := map[string]string{}
	for _, s := range d.M.Steps {
		names[s.ID] = s.Name
	}
	t := &Table{Caption: l.T("data_chains"), Head: []string{l.T("source")}}
	for _, id := range p.Chains[0].Steps {
		t.Head = append(t.Head, cmp.Or(names[id], id))
	}
	for _, c := range p.Chains {
		r := Row{Label: l.Tf("chain_source", c.Source, l.Num(c.WindowDays, 0))}
		for i, n := range c.Leads {
			txt := l.Int(float64(n))
			if i > 0 && c.Leads[0] > 0 {
				txt += " (" + l.Pct(float64(n)/float64(c.Leads[0])) + ")"
			}
			r.Cells = append(r.Cells, cell(txt))
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// countsRow fills r with f's step counts and overall conversion.
func countsRow(d *pageData, r Row, f *analysis.Funnel) Row {
	for _, c := range f.Counts {
		r.Cells = append(r.Cells, countCell(d.L, c))
	}
	r.Cells = append(r.Cells, d.overallCell(f))
	return r
}

// segmentRow is a table row labelled with a segment, linked to its page.
func (d *pageData) segmentRow(seg analysis.Segment) Row {
	r := Row{Label: d.L.Dim(seg.Dim) + ": " + seg.Value}
	if pg := d.Site.SegmentPage(seg); pg != nil {
		r.Link = pg.Path
	}
	return r
}

// groupRow heads a shortened dimension in a table: "Channel: top 10 of
// 120 by Site visits", linked to the dimension's page of every value.
func (d *pageData) groupRow(dim string, total int) Row {
	r := Row{Group: true, Label: d.L.Dim(dim) + ": " + d.topOf(total)}
	for _, g := range d.Site.SegmentPages {
		if g.Dim == dim && g.Index != nil {
			r.Link = g.Index.Path
		}
	}
	return r
}

// dimensionView fills a dimension's index page: every value in the latest
// period, largest first, with its step counts and overall conversion.
func dimensionView(d *pageData) {
	m, l := d.M, d.L
	dim := d.Page.Dim
	d.Notes["lead"] = l.Tf("dimension_lead", l.Period(m.Latest), d.volumeName())
	tab := &Table{Caption: l.Tf("dimension_table", l.Dim(dim), l.Period(m.Latest)),
		Head: append(append([]string{l.Dim(dim)}, stepNames(m)...), l.T("overall_conversion"))}
	if f := m.Funnel(m.Latest, analysis.All); f != nil {
		tab.Rows = append(tab.Rows, countsRow(d, Row{Label: l.T("all_segments"), Class: "total"}, f))
	}
	for _, seg := range ranked(m, m.Latest, dim) {
		r := d.segmentRow(seg)
		r.Label = seg.Value
		if f := m.Funnel(m.Latest, seg); f != nil {
			r = countsRow(d, r, f)
		} else {
			for range len(m.Steps) + 1 {
				r.Cells = append(r.Cells, cell(i18n.Dash))
			}
		}
		tab.Rows = append(tab.Rows, r)
	}
	d.Tables["values"] = tab
}
