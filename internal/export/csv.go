package export

import (
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/analysis"
)

// The CSV export is three tidy tables, one per observational unit: a step
// of a funnel, a transition of a funnel, a metric of a funnel. Each row is
// one unit in one period and segment, each column one of its variables,
// so a spreadsheet or pandas reads it without pivoting, and the long
// form's repeated keys (210 MB on a 400-page site) are gone.

// Table is one CSV table of the export.
type Table struct {
	Name   string // steps, transitions or metrics
	Path   string // site-root path, data/funnel-<name>.csv
	Header []string
	rows   func(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter)
}

// Table names, for `funnel export --table`.
const (
	TableSteps       = "steps"
	TableTransitions = "transitions"
	TableMetrics     = "metrics"
)

// Tables lists the CSV tables in the order they are written.
func Tables() []Table {
	return []Table{
		{Name: TableSteps, Path: "data/funnel-steps.csv", Header: stepsHeader(), rows: stepRows},
		{Name: TableTransitions, Path: "data/funnel-transitions.csv", Header: transitionsHeader(), rows: transitionRows},
		{Name: TableMetrics, Path: "data/funnel-metrics.csv", Header: metricsHeader(), rows: metricRows},
	}
}

// TableNamed returns the table called name, or false.
func TableNamed(name string) (Table, bool) {
	for _, t := range Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

func stepsHeader() []string {
	return []string{"period", "segment", "step", "count", "prev", "change_rel"}
}

func transitionsHeader() []string {
	return []string{"period", "segment", "from", "to",
		"rate", "cumulative", "drop", "low", "high", "open", "small_sample",
		"reference", "reference_source", "reference_n", "reference_periods", "overdispersion",
		"gap", "gap_low", "gap_high", "gain", "extra", "gain_value", "gain_value_low", "gain_value_high",
		"p_below", "p_below_adjusted", "confident", "far_below",
		"prev_rate", "change_pp", "change_rel", "p_value", "p_fall", "p_fall_adjusted", "fell", "provisional", "cumulative_change_pp",
		"detectable_fall", "others_rate", "segment_loss", "shrunk_rate", "p_segment", "p_segment_adjusted", "segment_confident",
		"days_source", "days_n", "median_days", "p90_days", "over_share", "days_reference", "days_reference_source", "excess_days", "delay_load"}
}

func metricsHeader() []string {
	return []string{"period", "segment", "metric", "value", "target", "status", "prev", "change", "change_rel"}
}

// CSV encodes the table for a model: a header row, then one row per unit,
// period-major, segments "all" first, units in model order. An undefined
// number is an empty cell, never NaN; flags are true or false.
func (t Table) CSV(m *analysis.Model) []byte {
	w := &rowWriter{}
	for _, h := range t.Header {
		w.str(h)
	}
	w.end()
	// Size the buffer once from the last funnel's rows (the first
	// period's lack the previous period's numbers): growing a buffer of
	// tens of MB by doubling copies it over and over.
	if n := len(m.Funnels); n > 0 {
		t.rows(m, m.Funnels[n-1:], w)
		per := len(w.b) - w.header
		w.b = append(make([]byte, 0, w.header+per*len(m.Funnels)*11/10+1024), w.b[:w.header]...)
	}
	t.rows(m, m.Funnels, w)
	return w.b
}

func stepRows(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter) {
	for _, f := range fs {
		for i, s := range m.Steps {
			w.str(f.Period)
			w.str(f.SegmentKey)
			w.str(s.ID)
			w.num(f.Counts[i])
			w.num(f.PrevCounts[i])
			w.num(f.CountChange[i])
			w.end()
		}
	}
}

func transitionRows(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter) {
	for _, f := range fs {
		for i, t := range f.Transitions {
			w.str(f.Period)
			w.str(f.SegmentKey)
			w.str(m.Steps[t.From].ID)
			w.str(m.Steps[t.To].ID)
			w.num(t.Rate)
			w.num(t.Cumulative)
			w.num(t.Drop)
			w.num(t.Low)
			w.num(t.High)
			w.flag(t.Open)
			w.flag(t.Small)
			w.num(t.Ref)
			w.str(t.RefSource)
			w.num(t.RefN)
			if t.RefPeriods > 0 {
				w.num(analysis.Some(float64(t.RefPeriods)))
			} else {
				w.num(analysis.None)
			}
			w.num(t.Phi)
			w.num(t.Gap)
			w.num(t.GapLow)
			w.num(t.GapHigh)
			w.num(t.Gain)
			w.num(t.Extra)
			w.num(t.GainValue)
			w.num(t.GainValueLow)
			w.num(t.GainValueHigh)
			w.num(t.PBelow)
			w.num(t.PBelowAdjusted)
			w.flag(t.Confident)
			w.flag(t.FarBelow)
			w.num(t.Prev)
			w.num(t.ChangePP)
			w.num(t.ChangeRel)
			w.num(t.PValue)
			w.num(t.PFall)
			w.num(t.PFallAdjusted)
			w.flag(t.Fell)
			w.flag(t.Provisional)
			w.num(t.CumulativeChangePP)
			w.num(t.Detectable)
			w.num(t.Others)
			w.num(t.Loss)
			w.num(t.Shrunk)
			w.num(t.PSegment)
			w.num(t.PSegmentAdjusted)
			w.flag(t.SegmentConfident)
			d := f.Durations[i]
			w.str(d.Source)
			if d.Source != "" {
				w.num(analysis.Some(float64(d.N)))
			} else {
				w.num(analysis.None)
			}
			w.num(d.Median)
			w.num(d.P90)
			w.num(d.OverShare)
			w.num(d.Ref)
			w.str(d.RefSource)
			w.num(d.Excess)
			w.num(d.Load)
			w.end()
		}
	}
}

func metricRows(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter) {
	for _, f := range fs {
		for i, x := range m.Metrics {
			k := f.KPIs[i]
			w.str(f.Period)
			w.str(f.SegmentKey)
			w.str(x.ID)
			w.num(k.Value)
			w.num(k.Target)
			w.str(k.Status)
			w.num(k.Prev)
			w.num(k.Change)
			w.num(k.ChangeRel)
			w.end()
		}
	}
}

// rowWriter appends CSV rows to one byte slice, cell by cell, with no
// []string per row and no string per number; it quotes as encoding/csv
// does (RFC 4180, "\n" line ends), so encoding/csv reads it back.
type rowWriter struct {
	b      []byte
	cells  int // cells in the current row
	header int // length of the header row
}

func (w *rowWriter) sep() {
	if w.cells > 0 {
		w.b = append(w.b, ',')
	}
	w.cells++
}

// str writes a text cell, quoted when it holds a comma, a quote or a line
// break, or starts with a space (encoding/csv's rule).
func (w *rowWriter) str(s string) {
	w.sep()
	if !needsQuotes(s) {
		w.b = append(w.b, s...)
		return
	}
	w.b = append(w.b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			w.b = append(w.b, '"')
		}
		w.b = append(w.b, s[i])
	}
	w.b = append(w.b, '"')
}

// num writes a number as analysis.FormatNumber does (the JSON's form), or
// an empty cell when it is undefined.
func (w *rowWriter) num(o analysis.Opt) {
	w.sep()
	if o.OK {
		w.b = appendNumber(w.b, o.V)
	}
}

func (w *rowWriter) flag(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *rowWriter) end() {
	w.b = append(w.b, '\n')
	w.cells = 0
	if w.header == 0 {
		w.header = len(w.b)
	}
}

func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s); s == `\.` || unicode.IsSpace(r) {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendNumber appends v exactly as analysis.FormatNumber writes it
// (shortest round-trip, no exponent from 1e-6 to 1e21), without the
// string.
func appendNumber(b []byte, v float64) []byte {
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json does.
		if n := len(b); n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
