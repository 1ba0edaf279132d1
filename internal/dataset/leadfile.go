package dataset

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
)

// The records and events loaders have one shape: open a file of the
// source, find its columns, detect the layouts of its date columns over
// its first rows, then hand every row to the loader's row function, which
// reports bad cells at their line and byte column and counts the row's
// lead (records) or folds the event into its id (events) in the source's
// leadCounter. What is shared is here.

// detectDates reads f ahead until the layouts of its date columns are
// detected, and settles them; siblings are the detectors of the source's
// other date columns, whose layout an undecided column may take (see
// csvio.SettleLayouts).
func detectDates(f *csvio.File, cols []csvio.DateColumn, siblings []*csvio.Detector) (*csvio.Rows, map[int]csvio.DateLayout, error) {
	rows, err := csvio.Prefetch(f, cols)
	if err != nil {
		return nil, nil, err
	}
	layouts, err := csvio.SettleLayouts(f.Name, f.Header, cols, siblings)
	if err != nil {
		return nil, nil, err
	}
	return rows, layouts, nil
}

// dateColumns makes a detector for each column index.
func dateColumns(idx []int, configured *csvio.DateLayout) []csvio.DateColumn {
	out := make([]csvio.DateColumn, len(idx))
	for i, c := range idx {
		out[i] = csvio.DateColumn{Col: c, Det: csvio.NewDetector(configured)}
	}
	return out
}

// detectors are the detectors of cols.
func detectors(cols ...[]csvio.DateColumn) []*csvio.Detector {
	var out []*csvio.Detector
	for _, cs := range cols {
		for _, c := range cs {
			out = append(out, c.Det)
		}
	}
	return out
}

// configuredLayout reads the source's date_format, if any.
func configuredLayout(src config.Source) (*csvio.DateLayout, error) {
	if src.Records == nil || src.Records.DateFormat == "" {
		return nil, nil
	}
	l, err := csvio.ParseDateFormat(src.Records.DateFormat)
	if err != nil {
		return nil, &ParseError{File: src.Path, Err: err}
	}
	return &l, nil
}

// eachRow hands every row of rows to row, with its physical line, until
// the file ends or the source's error list is full; rows are counted into
// the table. A row is valid until the next call.
func (lc *leadCounter) eachRow(rows *csvio.Rows, row func(rec []string, line int)) error {
	for !lc.errs.Full() {
		rec, line, err := rows.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		lc.t.Rows++
		row(rec, line)
	}
	return nil
}

// cellError is a problem with cell col of the row of f that starts on
// line, at the cell's own line and byte column.
func cellError(f *csvio.File, line, col int, value string, err error) *ParseError {
	pe := &ParseError{File: f.Name, Column: f.Header[col], Value: strings.Clone(value), Err: err} // the row may be borrowed
	pe.Line, pe.Col = f.CellPos(line, col)
	return pe
}

// date reads a date cell in its column's layout: a bad one is reported
// at the cell ("not a date: expected <layout> (optionally with
// HH:MM)<more>"), a good one joins the column's spread (for outliers).
func (lc *leadCounter) date(f *csvio.File, layout csvio.DateLayout, col, line int, v, more string) (csvio.Timestamp, bool) {
	ts, ok := layout.Parse(v)
	if !ok {
		lc.errs.Add(cellError(f, line, col, v, fmt.Errorf("not a date: expected %s (optionally with HH:MM)%s", layout, more)))
		return 0, false
	}
	lc.days(f, col).see(f.Name, f.Header[col], line, v, ts)
	return ts, true
}

// days are the dates seen in column col of f so far, found by index: a
// loader reads one file at a time.
func (lc *leadCounter) days(f *csvio.File, col int) *columnDays {
	if lc.daysFile != f {
		lc.daysFile, lc.daysCols = f, make([]*columnDays, len(f.Header))
	}
	c := lc.daysCols[col]
	if c == nil {
		c = lc.spread.column(f.Name, f.Header[col])
		lc.daysCols[col] = c
	}
	return c
}

// segmentColumns finds the source's segment columns (the records'
// segments, else the project's) in f and registers their dimensions in
// the table (lc.dimIdx).
func (lc *leadCounter) segmentColumns(cfg *config.Config, f *csvio.File, find func(name string) (colRef, error)) ([]colRef, error) {
	segs := lc.r.Segments
	if len(segs) == 0 {
		segs = cfg.Segments
	}
	lc.dimIdx = lc.dimIdx[:0]
	var cols []colRef
	for _, s := range segs {
		ref, err := find(s)
		if err != nil {
			return nil, err
		}
		cols = append(cols, ref)
		lc.dimIdx = append(lc.dimIdx, lc.t.AddDim(s))
	}
	return cols, nil
}
