package export

import (
	"bytes"
	"io"
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
		"days_source", "days_n", "median_days", "p90_days", "over_share", "days_reference", "days_reference_source", "excess_days", "delay_load",
		"days_lost", "days_open", "min_days", "q1_days", "q3_days", "beyond_horizon", "horizon_days",
		"window_days", "window_n", "window_k", "window_rate", "window_provisional", "days_p_value", "slower", "days_p_adjusted"}
}

func metricsHeader() []string {
	return []string{"period", "segment", "metric", "value", "target", "status", "prev", "change", "change_rel"}
}

// CSV encodes the table for a model: a header row, then one row per unit,
// period-major, segments "all" first, units in model order. An undefined
// number is an empty cell, never NaN; flags are true or false.
func (t Table) CSV(m *analysis.Model) []byte {
	var b bytes.Buffer
	_ = t.WriteCSV(&b, m) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteCSV writes CSV's bytes to w a funnel at a time, as they are made.
func (t Table) WriteCSV(w io.Writer, m *analysis.Model) error {
	rw := &rowWriter{b: make([]byte, 0, chunk+chunk/4)}
	for _, h := range t.Header {
		rw.str(h)
	}
	rw.end()
	for k := range m.Funnels {
		t.rows(m, m.Funnels[k:k+1], rw)
		if len(rw.b) >= chunk {
			if _, err := w.Write(rw.b); err != nil {
				return err
			}
			rw.b = rw.b[:0]
		}
	}
	_, err := w.Write(rw.b)
	return err
}

func stepRows(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter) {
	for _, f := range fs {
		for i, s := range m.Steps {
			w.str(f.Period)
			w.str(f.SegmentKey)
			w.str(s.ID)
			w.num(f.Counts[i], whole)
			w.num(f.PrevCounts[i], whole)
			w.num(f.CountChange[i], sig6)
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
			w.num(t.Rate, sig6)
			w.num(t.Cumulative, sig6)
			w.num(t.Drop, whole)
			w.num(t.Low, sig6)
			w.num(t.High, sig6)
			w.flag(t.Open)
			w.flag(t.Small)
			w.num(t.Ref, sig6)
			w.str(t.RefSource)
			w.num(t.RefN, sig6)
			if t.RefPeriods > 0 {
				w.num(analysis.Some(float64(t.RefPeriods)), whole)
			} else {
				w.num(analysis.None, whole)
			}
			w.num(t.Phi, sig6)
			w.num(t.Gap, sig6)
			w.num(t.GapLow, sig6)
			w.num(t.GapHigh, sig6)
			w.num(t.Gain, cents)
			w.num(t.Extra, cents)
			w.num(t.GainValue, cents)
			w.num(t.GainValueLow, cents)
			w.num(t.GainValueHigh, cents)
			w.num(t.PBelow, sig6)
			w.num(t.PBelowAdjusted, sig6)
			w.flag(t.Confident)
			w.flag(t.FarBelow)
			w.num(t.Prev, sig6)
			w.num(t.ChangePP, sig6)
			w.num(t.ChangeRel, sig6)
			w.num(t.PValue, sig6)
			w.num(t.PFall, sig6)
			w.num(t.PFallAdjusted, sig6)
			w.flag(t.Fell)
			w.flag(t.Provisional)
			w.num(t.CumulativeChangePP, sig6)
			w.num(t.Detectable, sig6)
			w.num(t.Others, sig6)
			w.num(t.Loss, cents)
			w.num(t.Shrunk, sig6)
			w.num(t.PSegment, sig6)
			w.num(t.PSegmentAdjusted, sig6)
			w.flag(t.SegmentConfident)
			d := f.Durations[i]
			w.str(d.Source)
			if d.Source != "" {
				w.num(analysis.Some(float64(d.N)), whole)
			} else {
				w.num(analysis.None, whole)
			}
			w.num(d.Median, days)
			w.num(d.P90, days)
			w.num(d.OverShare, sig6)
			w.num(d.Ref, days)
			w.str(d.RefSource)
			w.num(d.Excess, days)
			w.num(d.Load, cents)
			if d.Source == analysis.FromRecords {
				w.num(analysis.Some(float64(d.Lost)), whole)
				w.num(analysis.Some(float64(d.Open)), whole)
			} else {
				w.num(analysis.None, whole)
				w.num(analysis.None, whole)
			}
			w.num(d.Min, days)
			w.num(d.Q1, days)
			w.num(d.Q3, days)
			w.flag(d.Beyond)
			w.num(d.Horizon, days)
			w.num(d.Window, days)
			w.num(d.WindowN, whole)
			w.num(d.WindowK, whole)
			w.num(d.WindowRate, sig6)
			w.flag(d.WindowProvisional)
			w.num(d.PValue, sig6)
			w.flag(d.Slower)
			w.num(d.PAdjusted, sig6)
			w.end()
		}
	}
}

func metricRows(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter) {
	for _, f := range fs {
		for i, x := range m.Metrics {
			k := f.KPIs[i]
			p := unitPrec(x.Unit)
			w.str(f.Period)
			w.str(f.SegmentKey)
			w.str(x.ID)
			w.num(k.Value, p)
			w.num(k.Target, p)
			w.str(k.Status)
			w.num(k.Prev, p)
			w.num(k.Change, p)
			w.num(k.ChangeRel, sig6)
			w.end()
		}
	}
}

// rowWriter appends CSV rows to one byte slice, cell by cell, with no
// []string per row and no string per number; it quotes as encoding/csv
// does (RFC 4180, "\n" line ends), so encoding/csv reads it back.
type rowWriter struct {
	b     []byte
	cells int // cells in the current row
}

func (w *rowWriter) sep() {
	if w.cells > 0 {
		w.b = append(w.b, ',')
	}
	w.cells++
}

// str writes a text cell, guarded against formula injection
// (GuardFormula), quoted when it holds a comma, a quote or a line
// break, or starts with a space (encoding/csv's rule).
func (w *rowWriter) str(s string) {
	w.sep()
	s = GuardFormula(s)
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

// num writes a number rounded by p in the JSON's form, or an empty cell
// when it is undefined.
func (w *rowWriter) num(o analysis.Opt, p prec) {
	w.sep()
	if o.OK {
		w.b = p.appendNum(w.b, o.V)
	}
}

func (w *rowWriter) flag(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *rowWriter) end() {
	w.b = append(w.b, '\n')
	w.cells = 0
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
