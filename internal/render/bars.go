package render

import (
	"math"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/i18n"
)

// topBottleneck is the transition index (From) of f's #1 bottleneck the
// data can claim — confident, not provisional (or, in an untested
// diagnosis, on its point estimate, as the findings do) — or -1.
func topBottleneck(d *pageData, f *analysis.Funnel) int {
	untested := false
	if diag := d.M.Diagnosis(f.Period); diag != nil {
		untested = diag.Untested
	}
	for _, b := range d.M.Bottlenecks(f.Period, f.Segment) {
		if !b.Provisional && (b.Confident || untested) {
			return b.From
		}
	}
	return -1
}

// funnelBars draws f as horizontal bars at true proportion, with the
// previous period behind and its bottleneck marked; nil when nothing
// is counted.
func funnelBars(d *pageData, f, prev *analysis.Funnel) *charts.Bars {
	l, m := d.L, d.M
	counts := make([]any, len(f.Counts))
	var old []any
	for i, c := range f.Counts {
		counts[i] = chartValue(c)
	}
	if !charts.HasData(counts) {
		return nil
	}
	if prev != nil {
		old = make([]any, len(prev.Counts))
		for i, c := range prev.Counts {
			old[i] = chartValue(c)
		}
	}
	w, ow := charts.BarWidths(counts, old)
	hot := topBottleneck(d, f)
	b := &charts.Bars{Title: l.T("chart_funnel")}
	num := columnInt(l, counts, old)
	digits := ofFirstDigits(f)
	for i, s := range m.Steps {
		st := charts.BarStep{Name: s.Name, Count: countText(numFormat(num), f.Counts[i]), Width: w[i], Measured: f.Counts[i].OK()}
		if i > 0 {
			if c := f.Transitions[i-1].Cumulative; c.OK() {
				st.OfFirst = l.Tf("funnel_of_first", l.PctN(c.V(), digits))
			}
		}
		if prev != nil && prev.Counts[i].OK() {
			st.HasPrev, st.PrevW, b.Ghost = true, ow[i], true
			st.Prev = l.T("funnel_prev_period") + ": " + num(prev.Counts[i].V())
		}
		st.Hot = hot >= 0 && i == hot+1
		b.Steps = append(b.Steps, st)
	}
	for i, t := range f.Transitions {
		k := charts.BarLink{Rate: i18n.Dash}
		if t.Rate.OK() {
			k.Rate = l.Pct(t.Rate.V()) + " " + l.T("funnel_of_prev")
		}
		if t.Drop.OK() {
			if t.Drop.V() >= 0 {
				k.Lost = "−" + num(t.Drop.V()) + " " + l.T("funnel_lost")
			} else {
				k.Lost = "+" + num(-t.Drop.V())
			}
		}
		if t.Provisional {
			k.Flag = l.T("provisional_short")
		}
		if i == hot {
			k.Hot, k.Tag = true, l.T("funnel_bottleneck")
		}
		b.Links = append(b.Links, k)
	}
	b.ID = d.nextID()
	b.Actions = &charts.BarActions{Label: l.T("chart_actions"), Table: l.T("chart_table"), CSV: l.T("chart_csv"), CSVTitle: l.T("chart_csv_title")}
	b.Data = barsData(d, f, prev)
	b.Notes = append(b.Notes, l.T("funnel_true_note"))
	if b.Ghost {
		b.Notes = append(b.Notes, l.T("funnel_ghost_note")+" ("+l.Period(prev.Period)+")")
	}
	return b
}

// numFormat lends a number format the Int method countText asks for.
type numFormat func(float64) string

func (f numFormat) Int(v float64) string { return f(v) }

// barsData is the bars' numbers for their table and CSV: each step's
// count, its conversion from the step before and from the first step,
// and the previous period's count when the ghost bars show it.
func barsData(d *pageData, f, prev *analysis.Funnel) *charts.BarsData {
	l := d.L
	out := &charts.BarsData{Head: []string{l.T("step"), l.T("count"), l.T("step_conversion"), l.T("cumulative")},
		Fmt: []charts.Format{charts.Int, charts.Percent, charts.Percent}}
	if prev != nil {
		out.Head = append(out.Head, l.T("previous")+" ("+l.Period(prev.Period)+")")
		out.Fmt = append(out.Fmt, charts.Int)
	}
	for i, s := range d.M.Steps {
		row := []any{s.Name, chartValue(f.Counts[i]), nil, nil}
		if i > 0 {
			t := f.Transitions[i-1]
			row[2], row[3] = chartValue(t.Rate), chartValue(t.Cumulative)
		}
		if prev != nil {
			row = append(row, chartValue(prev.Counts[i]))
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// columnInt formats the bars' counts as one column: in Russian a
// four-digit count is grouped when a five-digit one stands beside it
// (1 104, 26 672).
func columnInt(l *i18n.Locale, counts ...[]any) func(float64) string {
	for _, vs := range counts {
		for _, v := range vs {
			if x, ok := v.(float64); ok && math.Abs(x) >= 1e4 {
				return l.IntGrouped
			}
		}
	}
	return l.Int
}

// ofFirstDigits is the one precision of the "% of the first step"
// column (0,54% and 0,49%, not 0,5% twice).
func ofFirstDigits(f *analysis.Funnel) int {
	var firsts []float64
	for _, t := range f.Transitions {
		if t.Cumulative.OK() {
			firsts = append(firsts, t.Cumulative.V())
		}
	}
	return i18n.PctColumnDigits(firsts)
}
