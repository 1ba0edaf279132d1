package render

import (
	"strings"

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
