package render

import (
	"html/template"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/i18n"
)

// The qualifiers of a number, each written by one helper so that it reads
// the same on every page kind, in tables, in the headline and in charts:
// provisional (the model's Provisional flag, one rule), small sample (the
// model's Small flag: below min_sample) and the window a tested rate is
// read within (r^W for records and events).

// mark is one qualifier after a number: its short words in brackets, the
// explanation on hover.
func mark(class, short, hint string) template.HTML {
	return template.HTML(` <span class="` + class + `" title="` + template.HTMLEscapeString(hint) + `">(` +
		template.HTMLEscapeString(short) + `)</span>`)
}

// provisionalMark is the one provisional mark.
func provisionalMark(l *i18n.Locale) template.HTML {
	return mark("provisional", l.T("provisional_short"), l.T("provisional"))
}

// provisionalText is the same mark in plain text (chart labels).
func provisionalText(l *i18n.Locale) string { return " (" + l.T("provisional_short") + ")" }

// markProvisional qualifies a cell that rests on a maturing cohort.
func (d *pageData) markProvisional(c *Cell, prov bool) {
	if prov {
		c.After += provisionalMark(d.L)
	}
}

// markSmall greys a rate resting on fewer cases than min_sample: it is
// never ranked or tested, and says so.
func (d *pageData) markSmall(c *Cell, small bool) {
	if small {
		c.Class = joinClass(c.Class, "small")
		c.After += mark("small-sample", d.L.T("small_sample"), d.L.T("small_sample_hint"))
	}
}

func joinClass(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// rateCell is a transition's rate as a table shows it beside nothing it
// is tested against: the raw r_i, greyed below min_sample, marked
// provisional by the one rule.
func (d *pageData) rateCell(tr analysis.Transition) Cell {
	c := pctCell(d.L, tr.Rate)
	if tr.Rate.OK() {
		d.markSmall(&c, tr.Small)
		d.markProvisional(&c, tr.Provisional)
	}
	return c
}

// testedCell is the rate a transition's references and tests use, where a
// page cites it beside them: r^W "within W days" for records and events
// (the raw rate on hover, secondary), else r_i; greyed below min_sample,
// marked provisional by the one rule.
func (d *pageData) testedCell(tr analysis.Transition) Cell {
	c := pctCell(d.L, tr.Tested)
	if !tr.Tested.OK() {
		return c
	}
	d.within(&c, tr.Window, tr.Rate)
	d.markSmall(&c, tr.Small)
	d.markProvisional(&c, tr.Provisional)
	return c
}

// within names the window of a windowed rate, with the raw rate as its
// hint: "63,3% (за 77 дн.)".
func (d *pageData) within(c *Cell, window, raw analysis.Opt) {
	if !window.OK() {
		return
	}
	days := d.format(analysis.UnitDays, window.V())
	hint := d.L.Tf("within_hint", days)
	if raw.OK() {
		hint += " " + d.L.Tf("raw_rate", d.L.Pct(raw.V()))
	}
	c.After += mark("window", d.L.Tf("within_days", days), hint)
}

// overallCell is a funnel's overall conversion R_n, marked provisional
// when any transition it rests on is (the headline's rule).
func (d *pageData) overallCell(f *analysis.Funnel) Cell {
	last := len(d.M.Steps) - 2
	c := pctCell(d.L, overall(f, last))
	if f != nil && last >= 0 && c.Text != "" {
		d.markSmall(&c, f.CumulativeSmall(last))
		d.markProvisional(&c, f.CumulativeProvisional(last))
	}
	return c
}
