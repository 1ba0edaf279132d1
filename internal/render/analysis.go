package render

import (
	"math"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
)

// The analysis sections of a page: findings, KPI scorecard, bottlenecks,
// drawn-out stages, sharp drops and holes. Every number is formatted with
// findings.Format, so a page prints the very figure its sentences cite.

// Sentence is one finding as the page shows it.
type Sentence struct {
	Kind string // an analysis.Finding* kind, for styling
	Text string
}

// Score is one metric of the KPI scorecard.
type Score struct {
	Name   string
	Link   string // the metric's stage page, site-root path
	Value  string
	Target string // "≤ 4 ч"
	// Status is analysis.StatusOK/Warn/Bad; Word and Icon say it without
	// colour.
	Status, Word, Icon string
	// Change is against the previous period, signed; ChangeClass is good
	// or bad by the metric's direction.
	Change, ChangeClass string
}

// format prints a value the way the findings do.
func (d *pageData) format(unit string, v float64) string {
	return findings.Format(d.L, d.M.Currency, analysis.Value{Unit: unit, V: v})
}

func (d *pageData) formatOpt(unit string, o analysis.Opt) string {
	if !o.OK() {
		return i18n.Dash
	}
	return d.format(unit, o.V())
}

// analysisView fills the analysis sections of a home or period page.
func analysisView(d *pageData) {
	m, p := d.M, d.Page.Period
	for _, s := range findings.Sentences(m, p, d.L) {
		d.Findings = append(d.Findings, Sentence{Kind: s.Finding.Kind, Text: s.Text})
	}
	d.Scorecard = scorecard(d, d.Funnel)
	diag := m.Diagnosis(p)
	if diag == nil {
		return
	}
	d.Bottlenecks = bottlenecksView(d, diag.Bottlenecks)
	d.Durations = durationsView(d, d.Funnel)
	d.Tables["drops"] = dropsView(d, diag.Drops)
	d.Tables["far_below"] = farBelowView(d, diag.FarBelow)
	d.Holes = holeSentences(d, diag.Holes, m.Holes)
}

// scorecard lists every metric with a target and a value in f.
func scorecard(d *pageData, f *analysis.Funnel) []Score {
	if f == nil {
		return nil
	}
	var out []Score
	for i, k := range f.KPIs {
		x := d.M.Metrics[i]
		if k.Status == "" {
			continue
		}
		s := Score{Name: x.Name, Value: d.format(x.Unit, k.Value.V()), Status: k.Status,
			Word: d.L.T("status_" + k.Status), Icon: statusIcon[k.Status]}
		if pg := d.Site.StagePage(x.Stage); pg != nil {
			s.Link = pg.Path
		}
		cmp := "≥ "
		if x.Direction == "lower" {
			cmp = "≤ "
		}
		s.Target = cmp + d.format(x.Unit, k.Target.V())
		if k.Change.OK() {
			s.Change = signed(d, x.Unit, k.Change.V())
			better := k.Change.V() > 0
			if x.Direction == "lower" {
				better = k.Change.V() < 0
			}
			switch {
			case k.Change.V() == 0:
			case better:
				s.ChangeClass = "good"
			default:
				s.ChangeClass = "bad"
			}
		}
		out = append(out, s)
	}
	return out
}

// statusIcon marks a KPI status by shape as well as colour.
var statusIcon = map[string]string{analysis.StatusOK: "✓", analysis.StatusWarn: "!", analysis.StatusBad: "✗"}

// signed prints a change in a metric's unit with its sign; a change of a
// percent metric is in percentage points.
func signed(d *pageData, unit string, v float64) string {
	if unit == "percent" {
		return d.L.PP(v)
	}
	s := d.format(unit, math.Abs(v))
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return s
}

// refSource names where a reference came from, in the site language.
func refSource(l *i18n.Locale, src analysis.RefKind) string {
	if src == analysis.RefNone {
		return i18n.Dash
	}
	return l.T("ref_" + src.String())
}

// bottlenecksView is the ranked bottleneck table and its impact bars: the
// extra clients each transition would bring to its step at its reference.
func bottlenecksView(d *pageData, bs []analysis.Bottleneck) *Impact {
	if len(bs) == 0 {
		return nil
	}
	l, m := d.L, d.M
	money := false
	for _, b := range bs {
		money = money || b.GainValue.OK()
	}
	head := []string{l.T("transition"), l.T("step_conversion"), l.T("reference"), l.T("reference_source"), l.T("gap"), d.countedT("extra_clients")}
	if money {
		head = append(head, l.T("extra_money"))
	}
	head = append(head, l.T("confidence"))
	tab := &Table{Caption: l.T("bottlenecks_table"), Head: head}
	imp := &Impact{}
	for i, b := range bs {
		label := transitionLabel(m, analysis.Transition{From: b.From, To: b.To})
		rate := pctCell(l, b.Rate)
		d.within(&rate, b.Window, b.RawRate)
		r := Row{Label: d.format(analysis.UnitRank, float64(i+1)) + ". " + label, Cells: []Cell{
			rate,
			pctCell(l, b.Ref),
			{Text: findings.Baseline(l, b.RefSource, b.RefPeriods, d.Page.Period), Class: "muted"},
			// A shortfall is a minus, as on segment pages: rate − reference.
			{Text: d.formatOpt(analysis.UnitPP, analysis.Maybe(-b.Gap.V(), b.Gap.OK())), Class: "bad"},
			countCell(l, b.Extra),
		}}
		if money {
			r.Cells = append(r.Cells, cell(d.formatOpt(analysis.UnitMoney, b.GainValue)))
		}
		conf := Cell{Text: l.T("confident"), Class: "good wrap"}
		switch {
		case m.Diagnosis(d.Page.Period) != nil && m.Diagnosis(d.Page.Period).Untested:
			conf = Cell{Text: l.T("untested"), Class: "muted wrap", Flag: l.T("untested_note"), Mark: "?"}
		case !b.Confident:
			conf = Cell{Text: l.T("not_significant"), Class: "warn wrap", Flag: l.T("not_significant_hint"), Mark: "?"}
		}
		d.markProvisional(&conf, b.Provisional)
		r.Cells = append(r.Cells, conf)
		tab.Rows = append(tab.Rows, r)
		imp.Labels = append(imp.Labels, label)
		imp.Gains = append(imp.Gains, b.Extra.V())
	}
	vals := make([]any, len(bs))
	for i, b := range bs {
		vals[i] = charts.Value(math.Round(b.Extra.V()), b.Extra.OK())
	}
	c := charts.ImpactBars(d.nextID(), d.countedT("chart_impact"), imp.Labels, vals, charts.Int)
	imp.Chart, imp.Table = &c, tab
	return imp
}

// durationsView is the table of how long each measured transition takes,
// in the analysis' order (drawn-out ones first, by client-days lost), and
// box plots where per-lead days are known (records). A median from a
// snapshot metric is all that is known there: its p90 and share over the
// limit print "—" and a note says so; nothing is invented.
func durationsView(d *pageData, f *analysis.Funnel) *Boxes {
	if f == nil {
		return nil
	}
	l, m := d.L, d.M
	rows, drawn := m.DurationRows(f)
	if len(rows) == 0 {
		return nil
	}
	bx := &Boxes{}
	tab := &Table{Caption: l.T("durations_table"), Head: []string{l.T("transition"), l.T("median"), l.T("p90"),
		l.T("over_limit"), l.T("days_reference"), l.T("reference_source"), l.T("client_days_lost")}}
	for _, du := range rows {
		tr := f.Transitions[du.From]
		r := Row{Label: transitionLabel(m, analysis.Transition{From: du.From, To: du.To})}
		med := cell(d.daysOrBeyond(du, du.Median))
		if du.DrawnOut() {
			med.Class = "bad"
			r.Class = "drawn"
		}
		d.markProvisional(&med, tr.Provisional)
		r.Cells = append(r.Cells, med,
			cell(d.daysOrBeyond(du, du.P90)),
			cell(d.formatOpt(analysis.UnitRate, du.OverShare)),
			cell(d.formatOpt(analysis.UnitDays, du.Ref)),
			Cell{Text: refSource(l, du.RefSource), Class: "muted"},
			cell(d.formatOpt(analysis.UnitClientDays, du.Load)))
		if du.Source == analysis.FromMetric {
			bx.MedianOnly = true
		}
		tab.Rows = append(tab.Rows, r)
	}
	bx.Table = tab
	bx.Drawn = drawn
	boxes(d, f, bx)
	curves(d, f, bx)
	return bx
}

// curves draws, for every transition with a time-to-convert estimate of
// the all-segment funnel, the cumulative incidence F(t) of this period
// against the previous one, as the analysis reads them at whole weeks.
func curves(d *pageData, f *analysis.Funnel, bx *Boxes) {
	if !f.Segment.IsAll() {
		return
	}
	l, m := d.L, d.M
	var prev *analysis.Funnel
	if pp := m.PrevPeriod(f.Period); pp != "" {
		prev = m.Funnel(pp, f.Segment)
	}
	for i, du := range f.Durations {
		var pc []analysis.CurvePoint
		if prev != nil && i < len(prev.Durations) {
			pc = prev.Durations[i].Curve
		}
		w := analysis.Weekly(du, pc)
		if len(w.Days) == 0 {
			continue
		}
		name := transitionLabel(m, analysis.Transition{From: du.From, To: du.To})
		head := []string{l.T("days_since_step"), l.Period(f.Period)}
		series := []charts.Series{{Name: l.Period(f.Period)}}
		if w.Prev != nil {
			head = append(head, l.Period(prev.Period))
			series = append(series, charts.Series{Name: l.Period(prev.Period)})
		}
		tab := &Table{Caption: l.Tf("chart_time_to_convert", name), Head: head}
		var labels []string
		for k, t := range w.Days {
			labels = append(labels, d.format(analysis.UnitDays, t))
			row := Row{Label: d.format(analysis.UnitDays, t)}
			series[0].Values = append(series[0].Values, charts.Value(w.Cur[k], true))
			row.Cells = append(row.Cells, cell(d.format(analysis.UnitRate, w.Cur[k])))
			if w.Prev != nil {
				series[1].Values = append(series[1].Values, charts.Value(w.Prev[k], true))
				row.Cells = append(row.Cells, cell(d.format(analysis.UnitRate, w.Prev[k])))
			}
			tab.Rows = append(tab.Rows, row)
		}
		c := charts.Trend(d.nextID(), tab.Caption, labels, series, nil, "", charts.Percent)
		bx.Curves = append(bx.Curves, Curve{Chart: &c, Table: tab})
	}
}

// countedT is the UI string for key, naming what the funnel counts
// (counted: in funnel.yaml) where the default says "clients": the plural
// of many (Russian genitive: сделок), capitalised where it starts.
func (d *pageData) countedT(key string) string {
	c := d.M.Counted.In(d.L.Lang)
	if c == nil {
		return d.L.T(key)
	}
	ru := d.L.Lang == "ru"
	word := c.Many
	switch key {
	case "extra_clients":
		if ru {
			return "Ещё " + word + " на шаге"
		}
		return "Extra " + word + " at the step"
	case "chart_impact":
		if ru {
			return "Ещё " + word + " на шаге, если переход достигнет ориентира"
		}
		return "Extra " + word + " at the step if the transition met its reference"
	case "lost_clients":
		if ru {
			return "Потеряно " + word
		}
		return capitalize(word) + " lost"
	}
	return d.L.T(key)
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// daysOrBeyond formats a quantile of time to convert: "> H days" where
// nobody converted within the horizon, never a number.
func (d *pageData) daysOrBeyond(du analysis.Duration, q analysis.Opt) string {
	if du.Beyond && du.Horizon.OK() {
		return "> " + d.format(analysis.UnitDays, du.Horizon.V())
	}
	return d.formatOpt(analysis.UnitDays, q)
}

// boxes adds the box plots of time to convert: whiskers at the first
// conversion and the p90, the box from the 25th to the 75th percentile,
// the line at the median — every one of them the model's own quantile of
// the Aalen–Johansen estimate, as exported.
func boxes(d *pageData, f *analysis.Funnel, bx *Boxes) {
	l, m := d.L, d.M
	for _, du := range f.Durations {
		if du.Source != analysis.FromRecords || !du.Min.OK() || !du.Q1.OK() || !du.Median.OK() || !du.Q3.OK() || !du.P90.OK() {
			continue
		}
		bx.Labels = append(bx.Labels, transitionLabel(m, analysis.Transition{From: du.From, To: du.To}))
		bx.Stats = append(bx.Stats, [5]float64{du.Min.V(), du.Q1.V(), du.Median.V(), du.Q3.V(), du.P90.V()})
	}
	if len(bx.Labels) == 0 {
		return
	}
	st := &Table{Caption: l.T("chart_durations"), Head: []string{l.T("transition"), l.T("min"), l.T("q1"), l.T("median"), l.T("q3"), l.T("p90")}}
	for i, s := range bx.Stats {
		r := Row{Label: bx.Labels[i]}
		for _, v := range s {
			r.Cells = append(r.Cells, cell(d.format(analysis.UnitDays, v)))
		}
		st.Rows = append(st.Rows, r)
	}
	c := charts.BoxPlot(d.nextID(), l.T("chart_durations"), bx.Labels, bx.Stats, charts.Days)
	bx.Chart, bx.Stats5 = &c, st
}

// dropsView lists the sharp drops (confident falls) of a period, in
// every segment.
func dropsView(d *pageData, drops []analysis.Drop) *Table {
	if len(drops) == 0 {
		return nil
	}
	l, m := d.L, d.M
	tab := &Table{Caption: l.T("drops_table"), Head: []string{l.T("transition"), l.T("segment"), l.T("step_conversion"),
		l.T("previous"), l.T("change"), l.T("p_value"), l.T("p_adjusted"), d.countedT("lost_clients")}}
	drops = drops[:listed(l, tab, len(drops))]
	for _, x := range drops {
		rate := pctCell(l, x.Rate)
		rate.Class = "bad"
		d.within(&rate, x.Window, x.RawRate)
		prev := pctCell(l, x.Prev)
		d.within(&prev, x.Window, x.RawPrev)
		r := Row{Label: transitionLabel(m, analysis.Transition{From: x.From, To: x.To}), Cells: []Cell{
			cell(segmentName(l, x.Segment)),
			rate,
			prev,
			cell(d.formatOpt(analysis.UnitPP, x.ChangePP)),
			{Text: d.formatOpt(analysis.UnitP, x.P), Class: "muted"},
			{Text: d.formatOpt(analysis.UnitP, x.Adjusted), Class: "muted"},
			countCell(l, x.Lost),
		}}
		tab.Rows = append(tab.Rows, d.linkSegment(r, x.Segment))
	}
	return tab
}

// farBelowView lists the rates of a period under half their reference,
// in every segment: their own kind, whether or not they fell.
func farBelowView(d *pageData, xs []analysis.FarBelow) *Table {
	if len(xs) == 0 {
		return nil
	}
	l, m := d.L, d.M
	tab := &Table{Caption: l.T("far_below_table"), Head: []string{l.T("transition"), l.T("segment"), l.T("step_conversion"),
		l.T("reference"), l.T("reference_source"), l.T("p_value"), l.T("p_adjusted"), d.countedT("lost_clients")}}
	xs = xs[:listed(l, tab, len(xs))]
	for _, x := range xs {
		rate := pctCell(l, x.Rate)
		rate.Class = "bad"
		d.within(&rate, x.Window, x.RawRate)
		r := Row{Label: transitionLabel(m, analysis.Transition{From: x.From, To: x.To}), Cells: []Cell{
			cell(segmentName(l, x.Segment)),
			rate,
			pctCell(l, x.Ref),
			{Text: findings.Baseline(l, x.RefSource, x.RefPeriods, d.Page.Period), Class: "muted"},
			{Text: d.formatOpt(analysis.UnitP, x.P), Class: "muted"},
			{Text: d.formatOpt(analysis.UnitP, x.Adjusted), Class: "muted"},
			countCell(l, x.Lost),
		}}
		tab.Rows = append(tab.Rows, d.linkSegment(r, x.Segment))
	}
	return tab
}

// listed is how many of n segment rows a table lists: on a site with many
// segments they run into hundreds, so the first few in the analysis' rank
// order carry the message and the caption says how many were left out.
func listed(l *i18n.Locale, tab *Table, n int) int {
	if n <= maxListed {
		return n
	}
	tab.Caption += " — " + l.Tf("drops_shown", topN, n)
	return topN
}

// linkSegment links a row to its segment's page, when it has one.
func (d *pageData) linkSegment(r Row, s analysis.Segment) Row {
	if pg := d.Site.SegmentPage(s); pg != nil {
		r.Link = pg.Path
	}
	return r
}

// segmentName names a segment for a table cell.
func segmentName(l *i18n.Locale, s analysis.Segment) string {
	if s.IsAll() {
		return l.T("all_segments")
	}
	return l.Dim(s.Dim) + ": " + s.Value
}

// holeSentences says what nobody measures: this period's holes, then the
// series-wide ones that concern it (no period, or this one).
func holeSentences(d *pageData, period, series []analysis.Hole) []string {
	var out []string
	seen := map[analysis.Hole]bool{}
	add := func(h analysis.Hole) {
		if seen[h] {
			return
		}
		seen[h] = true
		out = append(out, holeText(d, h))
	}
	for _, h := range period {
		add(h)
	}
	for _, h := range series {
		if h.Period == "" || h.Period == d.Page.Period || d.Page.Kind == "home" {
			add(h)
		}
	}
	return out
}

func holeText(d *pageData, h analysis.Hole) string {
	l, m := d.L, d.M
	q := func(s string) string {
		if l.Lang == "ru" {
			return "«" + s + "»"
		}
		return "“" + s + "”"
	}
	stage := h.Stage
	for _, s := range m.Stages {
		if s.ID == h.Stage {
			stage = s.Name
		}
	}
	step, prev := h.Step, ""
	if i := m.StepIndex(h.Step); i >= 0 {
		step = m.Steps[i].Name
		if i > 0 {
			prev = m.Steps[i-1].Name
		}
	}
	name := step
	if h.Metric != "" {
		name = h.Metric
		if i := m.MetricIndex(h.Metric); i >= 0 {
			name = m.Metrics[i].Name
		}
	}
	switch h.Kind {
	case analysis.HoleStageUnmeasured:
		return l.Tf("hole_stage_unmeasured", q(stage))
	case analysis.HoleNeverMeasured:
		return l.Tf("hole_never_measured", q(name))
	case analysis.HolePeriodMissing:
		return l.Tf("hole_period_missing", l.Period(h.Period))
	case analysis.HoleStageNoData:
		return l.Tf("hole_stage_no_data", q(stage), l.Period(h.Period))
	case analysis.HoleSeriesGap:
		return l.Tf("hole_series_gap", q(name), l.Period(h.Period))
	case analysis.HoleOrphanStep:
		return l.Tf("hole_orphan_step", q(step), q(prev), l.Period(h.Period))
	case analysis.HoleMaturing:
		return l.Tf("hole_maturing", l.Period(h.Period), q(step), d.formatOpt(analysis.UnitDays, h.Days), d.formatOpt(analysis.UnitDays, h.Age))
	}
	return h.Kind
}

// stageCheck is one column of a stage's checks table.
type stageCheck struct {
	kind int // checkRate, checkDays or checkKPI
	i    int // transition or metric index
}

const (
	checkRate = iota
	checkDays
	checkKPI
)

// stageChecks is a stage page's table of how the stage stood against its
// references in every period: each transition into its steps against its
// reference (and source), the days it took against its limit, and each
// metric's KPI status in words. Nil when the stage has none of these.
func stageChecks(d *pageData, st *analysis.Stage) *Table {
	l, m := d.L, d.M
	cols, head := stageCheckColumns(d, st)
	if len(cols) == 0 {
		return nil
	}
	tab := &Table{Caption: l.T("stage_checks"), Head: append([]string{l.T("period")}, head...)}
	for _, p := range m.Periods {
		f := m.Funnel(p, analysis.All)
		if f == nil {
			continue
		}
		r := Row{Label: l.Period(p), Link: periodLink(d, p)}
		for _, c := range cols {
			r.Cells = append(r.Cells, stageCheckCell(d, f, c))
		}
		tab.Rows = append(tab.Rows, r)
	}
	return tab
}

// stageCheckColumns are the checks a stage has, with their headings: a
// rate per transition into its steps, days where any period measured
// them, and each metric with a target.
func stageCheckColumns(d *pageData, st *analysis.Stage) (cols []stageCheck, head []string) {
	l, m := d.L, d.M
	for _, id := range st.Steps {
		i := m.StepIndex(id)
		if i <= 0 {
			continue
		}
		name := "→ " + m.Steps[i].Name
		cols = append(cols, stageCheck{checkRate, i - 1})
		head = append(head, name+": "+l.T("rate_vs_reference"))
		for _, p := range m.Periods {
			if f := m.Funnel(p, analysis.All); f != nil && f.Durations[i-1].Median.OK() {
				cols = append(cols, stageCheck{checkDays, i - 1})
				head = append(head, name+": "+l.T("days_vs_reference"))
				break
			}
		}
	}
	for _, id := range st.Metrics {
		if i := m.MetricIndex(id); i >= 0 && m.Metrics[i].Target.OK() {
			cols = append(cols, stageCheck{checkKPI, i})
			head = append(head, m.Metrics[i].Name)
		}
	}
	return cols, head
}

// stageCheckCell is check c of funnel f: "rate / reference (source)",
// "days / limit", or the KPI's value and status in words.
func stageCheckCell(d *pageData, f *analysis.Funnel, c stageCheck) Cell {
	l, m := d.L, d.M
	switch c.kind {
	case checkRate:
		tr := f.Transitions[c.i]
		x := d.testedCell(tr)
		if tr.Ref.OK() {
			x.Text += " / " + d.format(analysis.UnitRate, tr.Ref.V()) + " (" + l.T("refshort_"+tr.RefSource.String()) + ")"
		}
		if tr.Confident {
			x.Class = joinClass(x.Class, "bad")
		}
		return x
	case checkDays:
		du := f.Durations[c.i]
		x := cell(d.formatOpt(analysis.UnitDays, du.Median))
		if du.Median.OK() && du.Ref.OK() {
			x.Text += " / " + d.format(analysis.UnitDays, du.Ref.V())
		}
		if du.DrawnOut() {
			x.Class = "bad"
		}
		d.markProvisional(&x, f.Transitions[c.i].Provisional)
		return x
	}
	k := f.KPIs[c.i]
	if k.Status == "" {
		return cell(i18n.Dash)
	}
	return Cell{Text: d.format(m.Metrics[c.i].Unit, k.Value.V()) + " " + statusIcon[k.Status] + " " + l.T("status_"+k.Status),
		Class: map[string]string{analysis.StatusOK: "good", analysis.StatusWarn: "warn", analysis.StatusBad: "bad"}[k.Status]}
}
