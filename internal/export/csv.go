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

// The columns, their order and the rows are generated (csv_gen.go) from
// the declaration in internal/export/schema and the model's json tags:
// go generate ./internal/export.

// Table is one CSV table of the export.
type Table struct {
	Name   string // steps, transitions or metrics
	Path   string // site-root path, data/funnel-<name>.csv
	Header []string
	rows   func(m *analysis.Model, fs []*analysis.Funnel, w *rowWriter)
}

// Table names, for `funnel export --table` (internal/export/schema declares them).
const (
	TableSteps       = "steps"
	TableTransitions = "transitions"
	TableMetrics     = "metrics"
)

// TableNamed returns the table called name, or false.
func TableNamed(name string) (Table, bool) {
	for _, t := range Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
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
	if o.OK() {
		w.b = p.appendNum(w.b, o.V())
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
