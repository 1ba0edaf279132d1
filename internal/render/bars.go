package render

import (
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
	for i, s := range m.Steps {
		st := charts.BarStep{Name: s.Name, Count: countText(l, f.Counts[i]), Width: w[i], Measured: f.Counts[i].OK}
		if i > 0 {
			if c := f.Transitions[i-1].Cumulative; c.OK {
				st.OfFirst = l.Tf("funnel_of_first", l.Pct(c.V))
			}
		}
		if prev != nil && prev.Counts[i].OK {
			st.HasPrev, st.PrevW, b.Ghost = true, ow[i], true
			st.Prev = l.T("funnel_prev_period") + ": " + l.Int(prev.Counts[i].V)
		}
		st.Hot = hot >= 0 && i == hot+1
		b.Steps = append(b.Steps, st)
	}
	for i, t := range f.Transitions {
		k := charts.BarLink{Rate: i18n.Dash}
		if t.Rate.OK {
			k.Rate = l.Pct(t.Rate.V) + " " + l.T("funnel_of_prev")
		}
		if t.Drop.OK {
			if t.Drop.V >= 0 {
				k.Lost = "−" + l.Int(t.Drop.V) + " " + l.T("funnel_lost")
			} else {
				k.Lost = "+" + l.Int(-t.Drop.V)
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
	b.Notes = append(b.Notes, l.T("funnel_true_note"))
	if b.Ghost {
		b.Notes = append(b.Notes, l.T("funnel_ghost_note")+" ("+l.Period(prev.Period)+")")
	}
	return b
}
