package render

import (
	"strings"

	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/i18n"
)

// Column-wise number formats: a table's cells are formatted one by one
// as they are built, then each column is evened out here — one percent
// precision per column (what its smallest non-zero value needs, at most
// two decimals) and, in Russian, four-digit counts grouped when the
// column also holds five-digit ones ("1 104" above "26 672").

// numKind marks what number a cell holds, for the column pass.
type numKind uint8

const (
	numNone numKind = iota
	numPct
	numInt
)

// even applies the column rules to t (nil-safe).
func even(l *i18n.Locale, t *Table) {
	if t == nil {
		return
	}
	cols := 0
	for _, r := range t.Rows {
		cols = max(cols, len(r.Cells))
	}
	for c := 0; c < cols; c++ {
		var pcts []float64
		long := false
		for _, r := range t.Rows {
			if c >= len(r.Cells) {
				continue
			}
			x := r.Cells[c]
			switch x.kind {
			case numPct:
				pcts = append(pcts, x.num)
			case numInt:
				long = long || len(strings.TrimPrefix(l.Int(x.num), "−")) > 5 // "26 672" has a group
			}
		}
		d := i18n.PctColumnDigits(pcts)
		for i := range t.Rows {
			if c >= len(t.Rows[i].Cells) {
				continue
			}
			x := &t.Rows[i].Cells[c]
			switch {
			case x.kind == numPct:
				if old := l.Pct(x.num); strings.HasPrefix(x.Text, old) {
					x.Text = l.PctN(x.num, d) + strings.TrimPrefix(x.Text, old)
				}
			case x.kind == numInt && long:
				if old := l.Int(x.num); strings.HasPrefix(x.Text, old) {
					x.Text = l.IntGrouped(x.num) + strings.TrimPrefix(x.Text, old)
				}
			}
		}
	}
}

// quietCaptions hides, on screen, a table caption that repeats the title
// of a chart on the page (the table is the chart's data): a title is said
// once. Screen readers still get it.
func (d *pageData) quietCaptions() {
	titles := map[string]bool{}
	for _, c := range d.Charts {
		if c != nil {
			titles[c.Title] = true
		}
	}
	for _, g := range d.Grids {
		for _, c := range g {
			if c != nil {
				titles[c.Title] = true
			}
		}
	}
	quiet := func(t *Table) {
		if t != nil && titles[t.Caption] {
			t.Quiet = true
		}
	}
	for _, t := range d.Tables {
		quiet(t)
	}
	for _, t := range d.Lists {
		quiet(t)
	}
	// Charts that carry their own tables.
	pair := func(c *charts.Chart, t *Table) {
		if c != nil && t != nil && c.Title == t.Caption {
			t.Quiet = true
		}
	}
	if b := d.Bottlenecks; b != nil {
		pair(b.Chart, b.Table)
	}
	if x := d.Durations; x != nil {
		pair(x.Chart, x.Stats5)
		pair(x.Chart, x.Table)
		for _, c := range x.Curves {
			pair(c.Chart, c.Table)
		}
	}
}

// evenAll evens out every table a page holds.
func (d *pageData) evenAll() {
	for _, t := range d.Tables {
		even(d.L, t)
	}
	for _, t := range d.Lists {
		even(d.L, t)
	}
	if d.Bottlenecks != nil {
		even(d.L, d.Bottlenecks.Table)
	}
	if d.Durations != nil {
		even(d.L, d.Durations.Table)
		even(d.L, d.Durations.Stats5)
		for _, c := range d.Durations.Curves {
			even(d.L, c.Table)
		}
	}
}
