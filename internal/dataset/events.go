package dataset

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/funnel-report/funnel/internal/config"
)

// eventRow is the fixed part of an event-log row, mapped by gocsv: the
// configured column names are renamed to these tags in the header we hand
// it. Segment columns vary per project and are read from the raw row.
type eventRow struct {
	ID   string `csv:"id"`
	Step string `csv:"step"`
	Time string `csv:"timestamp"`
}

// eventChunk is how many rows gocsv maps at a time: enough to amortise its
// per-call reflection, small enough to keep memory flat.
const eventChunk = 4096

// evLead is what an event log tells about one id so far.
type evLead struct {
	first []Timestamp // first occurrence per step
	has   []bool
	lines []int // line of that first occurrence
	tuple []string
}

// loadEvents reads an event log (id, step, timestamp and segment columns)
// and counts each id as a lead through the first occurrence of each step.
// Memory grows with the number of ids, not of events.
func loadEvents(cfg *config.Config, src config.Source, d dialect, in io.Reader, t *Table, errs *ErrorList) error {
	r := src.Records
	steps, err := cfg.RecordSteps(src.Kind, r)
	if err != nil {
		return &ParseError{File: src.Path, Err: err}
	}
	f, err := openCSV(src.Path, in, d)
	if err != nil {
		return err
	}
	l := &recordLoader{cfg: cfg, r: r, t: t, errs: errs, main: f, steps: steps,
		byEvent: r.PeriodBy == "event", agg: map[string]*aggCell{}, periods: map[int64]string{},
		ts: make([]Timestamp, len(steps)), has: make([]bool, len(steps))}
	cols := map[string]int{}
	for _, c := range []struct{ tag, name string }{
		{"id", or(r.ID, "id", "lead_id", f)},
		{"step", or(r.StepColumn, "step", "", f)},
		{"timestamp", or(r.TimeColumn, "timestamp", "time", f)},
	} {
		i := f.column(c.name)
		if i < 0 {
			return missingColumn(f.name, c.name, f.header)
		}
		cols[c.tag] = i
	}
	segs := r.Segments
	if len(segs) == 0 {
		segs = cfg.Segments
	}
	for _, s := range segs {
		i := f.column(s)
		if i < 0 {
			return missingColumn(f.name, s, f.header)
		}
		l.segCols = append(l.segCols, colRef{0, i})
		l.dimIdx = append(l.dimIdx, t.AddDim(s))
	}
	configured, err := configuredLayout(src)
	if err != nil {
		return err
	}
	timeCol := cols["timestamp"]
	dc := []dateColumn{{timeCol, newDateDetector(configured)}}
	it, err := prefetch(f, dc)
	if err != nil {
		return err
	}
	layouts, err := settleLayouts(f.name, f.header, dc, nil)
	if err != nil {
		return err
	}
	layout := layouts[timeCol]
	header := make([]string, len(f.header))
	for tag, i := range cols {
		header[i] = tag
	}
	stepOf := func(v string) (int, bool) {
		if r.Status != nil {
			if to, ok := r.Status[v]; ok {
				return indexOf(steps, to), true
			}
		}
		i := indexOf(steps, v)
		return i, i >= 0
	}
	leads := map[string]*evLead{}
	chunk := make([][]string, 0, eventChunk+1)
	lines := make([]int, 0, eventChunk)
	var parsed []eventRow
	process := func() error {
		parsed = parsed[:0]
		if err := gocsv.UnmarshalDecoder(rowsDecoder{chunk}, &parsed); err != nil {
			return &ParseError{File: f.name, Err: err}
		}
		for k, e := range parsed {
			raw, line := chunk[k+1], lines[k]
			cellErr := func(col int, v string, err error) {
				errs.Add(&ParseError{File: f.name, Line: line, Column: f.header[col], Value: v, Err: err})
			}
			id, stepV, tv := strings.TrimSpace(e.ID), strings.TrimSpace(e.Step), strings.TrimSpace(e.Time)
			if id == "" {
				cellErr(cols["id"], "", errors.New("empty id"))
				continue
			}
			si, known := stepOf(stepV)
			if !known {
				cellErr(cols["step"], stepV, fmt.Errorf("unknown step: expected one of %s", quoteList(eventStepNames(steps, r.Status))))
				continue
			}
			if si < 0 {
				continue // mapped to no step
			}
			ts, ok := layout.Parse(tv)
			if !ok {
				cellErr(timeCol, tv, fmt.Errorf("not a date: expected %s (optionally with HH:MM)", layout))
				continue
			}
			ld := leads[id]
			if ld == nil {
				ld = &evLead{first: make([]Timestamp, len(steps)), has: make([]bool, len(steps)), lines: make([]int, len(steps)),
					tuple: make([]string, len(t.Dims))}
				leads[id] = ld
			}
			if !ld.has[si] || ts < ld.first[si] {
				ld.first[si], ld.has[si], ld.lines[si] = ts, true, line
			}
			for j, c := range l.segCols {
				if d := l.dimIdx[j]; ld.tuple[d] == "" {
					ld.tuple[d] = strings.TrimSpace(raw[c.idx])
				}
			}
		}
		chunk, lines = chunk[:1], lines[:0]
		return nil
	}
	chunk = append(chunk, header)
	for !errs.Full() {
		rec, line, err := it.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		t.Rows++
		chunk = append(chunk, append([]string(nil), rec...))
		lines = append(lines, line)
		if len(lines) == eventChunk {
			if err := process(); err != nil {
				return err
			}
		}
	}
	if err := process(); err != nil {
		return err
	}
	ids := make([]string, 0, len(leads))
	for id := range leads {
		ids = append(ids, id)
	}
	sort.Strings(ids) // warnings in a stable order
	for _, id := range ids {
		ld := leads[id]
		furthest, first := -1, -1
		for i := range steps {
			l.ts[i], l.has[i] = ld.first[i], ld.has[i]
			if ld.has[i] {
				furthest = i
				if first < 0 || ld.first[i] < ld.first[first] {
					first = i
				}
			}
		}
		l.countLead(ld.tuple, ld.first[first], furthest, 0, false, func(i int) error {
			return &ParseError{File: f.name, Line: ld.lines[i], Column: f.header[timeCol], Value: id,
				Err: fmt.Errorf("step %q comes before step %q for this id: duration left out", steps[i], steps[i-1])}
		})
	}
	l.flush()
	return nil
}

// or picks the configured column name, else the first default the header
// has (def, then alt).
func or(configured, def, alt string, f *csvFile) string {
	if configured != "" {
		return configured
	}
	if f.column(def) < 0 && alt != "" && f.column(alt) >= 0 {
		return alt
	}
	return def
}

func eventStepNames(steps []string, status map[string]string) []string {
	names := append([]string(nil), steps...)
	for v := range status {
		if indexOf(names, v) < 0 {
			names = append(names, v)
		}
	}
	sort.Strings(names[len(steps):])
	return names
}
