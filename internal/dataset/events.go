package dataset

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
	"github.com/funnel-report/funnel/internal/sources"
)

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

// eventLoader reads one file of an event log.
type eventLoader struct {
	*leadCounter
	f                     *csvio.File
	file                  int32 // index in lc.files
	idCol, stepCol, tsCol int
	segCols               []colRef
	layout                csvio.DateLayout
	stepOf                map[string]int // step value → step index, dropStatus or lostStatus
	stepNames             []string       // for the unknown-step error
}

// loadEvents reads one file of an event log (id, step, timestamp and
// segment columns) into lc: each id is a lead, counted through the first
// occurrence of each step over every file of the source (lc.finish counts
// them). Memory grows with the number of ids, not of events.
func loadEvents(cfg *config.Config, src config.Source, d csvio.Dialect, in io.Reader, lc *leadCounter) error {
	f, err := csvio.Open(src.Path, in, d)
	if err != nil {
		return err
	}
	l := &eventLoader{leadCounter: lc, f: f, file: int32(len(lc.files))}
	lc.files = append(lc.files, f.Name)
	if err = l.resolve(cfg); err != nil {
		return err
	}
	configured, err := configuredLayout(src)
	if err != nil {
		return err
	}
	cols := dateColumns([]int{l.tsCol}, configured)
	rows, layouts, err := detectDates(f, cols, nil)
	if err != nil {
		return err
	}
	l.layout = layouts[l.tsCol]
	return lc.eachRow(rows, l.row)
}

// resolve finds the id, step, timestamp and segment columns, and maps
// every step value (a step id, or a status mapped to a step, to lost or
// to none) once.
func (l *eventLoader) resolve(cfg *config.Config) error {
	r, f := l.r, l.f
	for _, c := range []struct {
		at   *int
		name string
	}{
		{&l.idCol, or(r.ID, "id", "lead_id", f)},
		{&l.stepCol, or(r.StepColumn, "step", "", f)},
		{&l.tsCol, or(r.TimeColumn, "timestamp", "time", f)},
	} {
		if *c.at = f.Column(c.name); *c.at < 0 {
			return missingColumn(f.Name, c.name, f.Header)
		}
	}
	var err error
	l.segCols, err = l.segmentColumns(cfg, f, func(name string) (colRef, error) {
		if i := f.Column(name); i >= 0 {
			return colRef{0, i}, nil
		}
		return noCol, missingColumn(f.Name, name, f.Header)
	})
	if err != nil {
		return err
	}
	l.stepOf = map[string]int{}
	for i, s := range l.steps {
		l.stepOf[s] = i
	}
	for v, to := range r.Status { // a status wins over a step of the same name
		l.stepOf[v] = slices.Index(l.steps, to)
		if cfg.IsLost(to, l.steps) {
			l.stepOf[v] = lostStatus
		}
	}
	l.stepNames = eventStepNames(l.steps, r.Status)
	return nil
}

// row folds one event into its id: the first time of each step, the
// first loss, and the segment values of its earliest event.
func (l *eventLoader) row(rec []string, line int) {
	id, stepV, tv := strings.TrimSpace(rec[l.idCol]), strings.TrimSpace(rec[l.stepCol]), strings.TrimSpace(rec[l.tsCol])
	if id == "" {
		l.errs.Add(cellError(l.f, line, l.idCol, "", errors.New("empty id")))
		return
	}
	si, known := l.stepOf[stepV]
	if !known {
		l.errs.Add(cellError(l.f, line, l.stepCol, stepV, fmt.Errorf("unknown step: expected one of %s", quoteList(l.stepNames))))
		return
	}
	if si == dropStatus {
		return // mapped to no step
	}
	ts, ok := l.date(l.f, l.layout, l.tsCol, line, tv, "")
	if !ok {
		return
	}
	// Whole hours, as ClickHouse push-down reads them
	// (sources.DurationResolution): both paths give one model.
	ts -= ts % sources.DurationResolution
	ld := l.lead(id)
	if si == lostStatus {
		if !ld.lost || ts < ld.lostAt {
			ld.lost, ld.lostAt = true, ts
		}
	} else if !ld.has[si] || ts < ld.first[si] {
		ld.first[si], ld.has[si], ld.at[si] = ts, true, evPos{l.file, int32(line)}
	}
	l.segments(ld, rec, ts)
}

// lead returns what is known of id so far, made on its first event.
func (l *eventLoader) lead(id string) *evLead {
	ld := l.leads[id]
	if ld == nil {
		n, dims := len(l.steps), len(l.t.Dims)
		ld = &evLead{first: make([]csvio.Timestamp, n), has: make([]bool, n), at: make([]evPos, n),
			tuple: make([]string, dims), segAt: make([]csvio.Timestamp, dims)}
		l.leads[strings.Clone(id)] = ld // do not pin the whole CSV line
	}
	return ld
}

// segments: a lead's segment value is that of its earliest event with one
// (ties: the smallest value), whatever the file order: the definition
// push-down computes with argMin.
func (l *eventLoader) segments(ld *evLead, rec []string, ts csvio.Timestamp) {
	for j, c := range l.segCols {
		d := l.dimIdx[j]
		if d >= len(ld.tuple) {
			continue
		}
		if v := strings.TrimSpace(rec[c.idx]); v != "" && (ld.tuple[d] == "" || ts < ld.segAt[d] || (ts == ld.segAt[d] && v < ld.tuple[d])) {
			ld.tuple[d], ld.segAt[d] = l.intern(v), ts
		}
	}
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
