package dataset

import (
	"errors"
	"fmt"
	"github.com/funnel-report/funnel/internal/csvio"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/sources"
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
	first []csvio.Timestamp // first occurrence per step
	has   []bool
	at    []evPos // where that first occurrence is
	tuple []string
	segAt []csvio.Timestamp // time of the event each segment value came from
	// lostAt is the first event mapped to lost, if any (lost).
	lostAt csvio.Timestamp
	lost   bool
}

type evPos struct{ file, line int32 }

// loadEvents reads one file of an event log (id, step, timestamp and
// segment columns) into lc: each id is a lead, counted through the first
// occurrence of each step over every file of the source (lc.finish counts
// them). Memory grows with the number of ids, not of events.
func loadEvents(cfg *config.Config, src config.Source, d csvio.Dialect, in io.Reader, lc *leadCounter) error {
	r, t, errs, steps := src.Records, lc.t, lc.errs, lc.steps
	f, err := csvio.Open(src.Path, in, d)
	if err != nil {
		return err
	}
	fileIdx := int32(len(lc.files))
	lc.files = append(lc.files, f.Name)
	var segCols []int
	lc.dimIdx = lc.dimIdx[:0]
	cols := map[string]int{}
	for _, c := range []struct{ tag, name string }{
		{"id", or(r.ID, "id", "lead_id", f)},
		{"step", or(r.StepColumn, "step", "", f)},
		{"timestamp", or(r.TimeColumn, "timestamp", "time", f)},
	} {
		i := f.Column(c.name)
		if i < 0 {
			return missingColumn(f.Name, c.name, f.Header)
		}
		cols[c.tag] = i
	}
	segs := r.Segments
	if len(segs) == 0 {
		segs = cfg.Segments
	}
	for _, s := range segs {
		i := f.Column(s)
		if i < 0 {
			return missingColumn(f.Name, s, f.Header)
		}
		segCols = append(segCols, i)
		lc.dimIdx = append(lc.dimIdx, t.AddDim(s))
	}
	configured, err := configuredLayout(src)
	if err != nil {
		return err
	}
	timeCol := cols["timestamp"]
	dc := []csvio.DateColumn{{Col: timeCol, Det: csvio.NewDetector(configured)}}
	it, err := csvio.Prefetch(f, dc)
	if err != nil {
		return err
	}
	layouts, err := csvio.SettleLayouts(f.Name, f.Header, dc, nil)
	if err != nil {
		return err
	}
	layout := layouts[timeCol]
	header := make([]string, len(f.Header))
	for tag, i := range cols {
		header[i] = tag
	}
	stepOf := func(v string) (int, bool) {
		if r.Status != nil {
			if to, ok := r.Status[v]; ok {
				if cfg.IsLost(to, steps) {
					return lostStatus, true
				}
				return slices.Index(steps, to), true
			}
		}
		i := slices.Index(steps, v)
		return i, i >= 0
	}
	leads := lc.leads
	chunk := make([][]string, 0, eventChunk+1)
	lines := make([]int, 0, eventChunk)
	var parsed []eventRow
	process := func() error {
		parsed = parsed[:0]
		if err := gocsv.UnmarshalDecoder(rowsDecoder{chunk}, &parsed); err != nil {
			return &ParseError{File: f.Name, Err: err}
		}
		for k, e := range parsed {
			raw, line := chunk[k+1], lines[k]
			cellErr := func(col int, v string, err error) {
				errs.Add(&ParseError{File: f.Name, Line: line, Column: f.Header[col], Value: v, Err: err})
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
			if si == dropStatus {
				continue // mapped to no step
			}
			ts, ok := layout.Parse(tv)
			if !ok {
				cellErr(timeCol, tv, fmt.Errorf("not a date: expected %s (optionally with HH:MM)", layout))
				continue
			}
			lc.spread.see(f.Name, f.Header[timeCol], line, tv, ts)
			// Whole hours, as ClickHouse push-down reads them
			// (sources.DurationResolution): both paths give one model.
			ts -= ts % sources.DurationResolution
			ld := leads[id]
			if ld == nil {
				ld = &evLead{first: make([]csvio.Timestamp, len(steps)), has: make([]bool, len(steps)), at: make([]evPos, len(steps)),
					tuple: make([]string, len(t.Dims)), segAt: make([]csvio.Timestamp, len(t.Dims))}
				leads[strings.Clone(id)] = ld // do not pin the whole CSV line
			}
			if si == lostStatus {
				if !ld.lost || ts < ld.lostAt {
					ld.lost, ld.lostAt = true, ts
				}
			} else if !ld.has[si] || ts < ld.first[si] {
				ld.first[si], ld.has[si], ld.at[si] = ts, true, evPos{fileIdx, int32(line)}
			}
			// A lead's segment value is that of its earliest event with
			// one (ties: the smallest value), whatever the file order: the
			// definition push-down computes with argMin.
			for j, c := range segCols {
				d := lc.dimIdx[j]
				if d >= len(ld.tuple) {
					continue
				}
				if v := strings.TrimSpace(raw[c]); v != "" && (ld.tuple[d] == "" || ts < ld.segAt[d] || (ts == ld.segAt[d] && v < ld.tuple[d])) {
					ld.tuple[d], ld.segAt[d] = lc.intern(v), ts
				}
			}
		}
		chunk, lines = chunk[:1], lines[:0]
		return nil
	}
	chunk = append(chunk, header)
	for !errs.Full() {
		rec, line, err := it.Next()
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
	return nil
}

// intern returns one shared copy of a segment value, so that the ids of
// an event log do not each pin the CSV line their value was cut from.
func (lc *leadCounter) intern(s string) string {
	if v, ok := lc.values[s]; ok {
		return v
	}
	s = strings.Clone(s)
	lc.values[s] = s
	return s
}

// countEvents counts every id of an event log as a lead, in id order (for
// a stable order of warnings).
func (lc *leadCounter) countEvents() {
	ids := make([]string, 0, len(lc.leads))
	for id := range lc.leads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ld := lc.leads[id]
		furthest, first := -1, -1
		for i := range lc.steps {
			lc.ts[i], lc.has[i] = ld.first[i], ld.has[i]
			if ld.has[i] {
				furthest = i
				if first < 0 || ld.first[i] < ld.first[first] {
					first = i
				}
			}
		}
		if furthest < 0 {
			lc.t.Dropped++ // only lost events: it never entered the funnel
			continue
		}
		lc.lost, lc.lostAt, lc.hasLost = ld.lost, ld.lostAt, ld.lost
		lc.countLead(ld.tuple, ld.first[first], furthest, 0, false, func(i int) error {
			at := ld.at[i]
			return &ParseError{File: lc.files[at.file], Line: int(at.line), Value: id,
				Err: fmt.Errorf("step %q comes before step %q for this id: duration left out", lc.steps[i], lc.steps[i-1])}
		})
	}
	lc.leads = nil
}

// or picks the configured column name, else the first default the header
// has (def, then alt).
func or(configured, def, alt string, f *csvio.File) string {
	if configured != "" {
		return configured
	}
	if f.Column(def) < 0 && alt != "" && f.Column(alt) >= 0 {
		return alt
	}
	return def
}

func eventStepNames(steps []string, status map[string]string) []string {
	names := append([]string(nil), steps...)
	for v := range status {
		if slices.Index(names, v) < 0 {
			names = append(names, v)
		}
	}
	sort.Strings(names[len(steps):])
	return names
}
