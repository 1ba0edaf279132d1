package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
)

// A records source is read row by row: the only state that grows with the
// file is the per-lead durations the drawn-out-stage analysis needs (one
// float per step reached); counts and deal values are aggregated per
// period × segment tuple as the rows go by.
//
// The row path uses encoding/csv directly rather than gocsv: the columns
// are chosen by the config, so a struct cannot name them, and
// BenchmarkRecordDecode (200,000 generated records) measured gocsv
// (chunked UnmarshalDecoder into a struct) at 26-53 MB/s against 132-138
// MB/s for encoding/csv with a reused record, with ~12 allocations per row
// instead of ~2: the 1M-record bar of docs/design.md §7 leaves no room for that.

// colRef points at a column of the main file (file 0) or the joined one (1).
type colRef struct {
	file int
	idx  int // -1: none
}

var noCol = colRef{idx: -1}

// joinTable is the joined file held in memory, by id.
type joinTable struct {
	name    string
	header  []string
	rows    map[string]*joinRow
	order   []*joinRow // file order, for reporting unmatched rows
	idCol   int
	matched int
}

type joinRow struct {
	id      string
	line    int
	rec     []string
	matched bool
}

// recordLoader reads one file of a records source.
type recordLoader struct {
	*leadCounter
	cfg     *config.Config
	main    *csvio.File
	stepCol []colRef
	status  colRef
	statusM map[string]int // value → step index; dropStatus, lostStatus
	lostCol colRef         // lost_date: when a lost lead was lost
	dateCol colRef
	segCols []colRef
	value   colRef
	idCol   int
	layouts [2][]csvio.DateLayout // by column of the main and joined file
	tuple   []string              // scratch, copied into a new aggCell
	// The row being counted, for misdated.
	curJoin *joinRow
	curLine int
}

func loadRecords(fsys fs.FS, cfg *config.Config, src config.Source, d csvio.Dialect, in io.Reader, lc *leadCounter) error {
	main, err := csvio.Open(src.Path, in, d)
	if err != nil {
		return err
	}
	// Nothing of a row is kept past it but copies (cell tuples, segment
	// value ids, dates' first cells, error values): its fields may point
	// into the read buffer.
	main.Borrow()
	l := &recordLoader{leadCounter: lc, cfg: cfg, main: main}
	if src.Records.Join != nil && lc.join == nil {
		jt, jerr := openJoin(fsys, src, d)
		if jerr != nil {
			return jerr
		}
		lc.join = jt
		lc.t.Files++
	}
	if err = l.resolve(); err != nil {
		return err
	}
	configured, err := configuredLayout(src)
	if err != nil {
		return err
	}
	rows, err := l.detectDates(configured)
	if err != nil {
		return err
	}
	return lc.eachRow(rows, l.row)
}

// detectDates detects the layout of every date column: over all of the
// joined file (it is in memory), over the first rows of the main file.
func (l *recordLoader) detectDates(configured *csvio.DateLayout) (*csvio.Rows, error) {
	var mainIdx, joinIdx []int
	for _, ref := range append(append([]colRef{}, l.stepCol...), l.dateCol, l.lostCol) {
		switch {
		case ref.idx < 0:
		case ref.file == 0:
			mainIdx = append(mainIdx, ref.idx)
		default:
			joinIdx = append(joinIdx, ref.idx)
		}
	}
	mainCols, joinCols := dateColumns(mainIdx, configured), dateColumns(joinIdx, configured)
	if l.join != nil {
		for _, jr := range l.join.order {
			for _, c := range joinCols {
				if v := strings.TrimSpace(jr.rec[c.Col]); v != "" {
					c.Det.Observe(v)
				}
			}
		}
	}
	dets := detectors(mainCols, joinCols)
	rows, layouts, err := detectDates(l.main, mainCols, dets)
	if err != nil {
		return nil, err
	}
	l.layouts[0] = layoutSlice(layouts, len(l.main.Header))
	if l.join != nil {
		jl, err := csvio.SettleLayouts(l.join.name, l.join.header, joinCols, dets)
		if err != nil {
			return nil, err
		}
		l.layouts[1] = layoutSlice(jl, len(l.join.header))

	}
	return rows, nil
}

// openJoin reads the joined file into memory by id. A duplicate id is an
// error: the join would be ambiguous.
func openJoin(fsys fs.FS, src config.Source, d csvio.Dialect) (*joinTable, error) {
	name := path.Clean(src.Records.Join.Path)
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &ParseError{File: name, Err: unwrapPathError(err)}
	}
	defer f.Close()
	cf, err := csvio.Open(name, f, csvio.Dialect{Encoding: d.Encoding})
	if err != nil {
		return nil, err
	}
	jt := &joinTable{name: name, header: cf.Header, rows: map[string]*joinRow{}, idCol: cf.Column(src.Records.Join.ID)}
	if jt.idCol < 0 {
		return nil, missingColumn(name, src.Records.Join.ID, cf.Header)
	}
	var errs ErrorList
	for {
		rec, err := cf.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		id := strings.TrimSpace(rec[jt.idCol])
		if id == "" {
			errs.Add(cf.CellError(jt.idCol, "", errors.New("empty id: a joined row needs the id of its lead")))
			continue
		}
		if prev, dup := jt.rows[id]; dup {
			errs.Add(cf.CellError(jt.idCol, id, fmt.Errorf("duplicate id (first at line %d): the join would be ambiguous", prev.line)))
			continue
		}
		jr := &joinRow{id: id, line: cf.Line, rec: append([]string(nil), rec...)}
		jt.rows[id] = jr
		jt.order = append(jt.order, jr)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return jt, nil
}

// resolve finds every configured column in the main or joined header
// (a missing one is reported in this order: id, steps, status, lost date,
// entry date, segments, value).
func (l *recordLoader) resolve() error {
	r := l.r
	l.idCol = -1
	if r.ID != "" {
		if l.idCol = l.main.Column(r.ID); l.idCol < 0 {
			return missingColumn(l.main.Name, r.ID, l.main.Header)
		}
	}
	if err := l.resolveSteps(); err != nil {
		return err
	}
	l.status, l.dateCol, l.value, l.lostCol = noCol, noCol, noCol, noCol
	if err := l.optional(r.StatusColumn, &l.status); err != nil {
		return err
	}
	if r.StatusColumn != "" {
		l.statusM = map[string]int{}
		for v, to := range r.Status {
			i := slices.Index(l.steps, to)
			if l.cfg.IsLost(to, l.steps) {
				i = lostStatus
			}
			l.statusM[strings.TrimSpace(v)] = i
		}
	}
	if err := l.optional(r.LostDate, &l.lostCol); err != nil {
		return err
	}
	if err := l.optional(r.Date, &l.dateCol); err != nil {
		return err
	}
	if r.Date == "" && l.stepCol[0].idx < 0 {
		return &ParseError{File: l.main.Name, Err: fmt.Errorf("step %q has no date column: name the entry-date column (records date:) so leads can be placed in periods", l.steps[0])}
	}
	var err error
	if l.segCols, err = l.segmentColumns(l.cfg, l.main, l.find); err != nil {
		return err
	}
	return l.optional(r.Value, &l.value)
}

// resolveSteps finds the date column of every step that has one.
func (l *recordLoader) resolveSteps() error {
	byStep := map[string]string{}
	for _, st := range l.r.Steps {
		byStep[st.Step] = st.Column
	}
	l.stepCol = make([]colRef, len(l.steps))
	for i, s := range l.steps {
		if err := l.optional(byStep[s], &l.stepCol[i]); err != nil {
			return err
		}
	}
	return nil
}

// optional sets *ref to the column name names, or to noCol when name is
// "" (not configured).
func (l *recordLoader) optional(name string, ref *colRef) error {
	*ref = noCol
	if name == "" {
		return nil
	}
	var err error
	*ref, err = l.find(name)
	return err
}

// find looks a configured column up in the main file, then the joined one.
func (l *recordLoader) find(name string) (colRef, error) {
	if i := l.main.Column(name); i >= 0 {
		return colRef{0, i}, nil
	}
	if l.join != nil {
		if i := columnIndex(l.join.header, name); i >= 0 {
			return colRef{1, i}, nil
		}
		return noCol, missingColumn(l.main.Name, name, l.main.Header, l.join.header)
	}
	return noCol, missingColumn(l.main.Name, name, l.main.Header)
}

func columnIndex(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// firstCol returns the first of refs that names a column. resolve makes
// sure the entry date or the first step has one.
func firstCol(refs ...colRef) colRef {
	for _, r := range refs {
		if r.idx >= 0 {
			return r
		}
	}
	return refs[0]
}

// cell returns a column's text for the current row, and where it is.
func (l *recordLoader) cell(ref colRef, rec []string, jr *joinRow) (string, bool) {
	if ref.file == 0 {
		return strings.TrimSpace(rec[ref.idx]), true
	}
	if jr == nil {
		return "", false
	}
	return strings.TrimSpace(jr.rec[ref.idx]), true
}

func (l *recordLoader) cellError(ref colRef, line int, jr *joinRow, value string, err error) error {
	if ref.file == 0 {
		pe := &ParseError{File: l.main.Name, Column: l.main.Header[ref.idx], Value: strings.Clone(value), Err: err} // a borrowed row
		pe.Line, pe.Col = l.main.CellPos(line, ref.idx)
		return pe
	}
	return &ParseError{File: l.join.name, Line: jr.line, Column: l.join.header[ref.idx], Value: value, Err: err}
}

// date parses a date cell; ok is false when it is empty or bad (bad cells
// are reported).
func (l *recordLoader) date(ref colRef, rec []string, line int, jr *joinRow) (csvio.Timestamp, bool, bool) {
	v, _ := l.cell(ref, rec, jr)
	if v == "" {
		return 0, false, true
	}
	lay := l.layouts[ref.file][ref.idx]
	if ref.file == 0 {
		ts, ok := l.leadCounter.date(l.main, lay, ref.idx, line, v, ", as the rest of the column")
		return ts, ok, ok
	}
	ts, ok := lay.Parse(v)
	if !ok {
		l.errs.Add(l.cellError(ref, line, jr, v, fmt.Errorf("not a date: expected %s (optionally with HH:MM), as the rest of the column", lay)))
		return 0, false, false
	}
	l.spread.see(l.join.name, l.join.header[ref.idx], jr.line, v, ts)
	return ts, true, true
}

// row counts one record as a lead: the status caps how far it got, the
// step dates say when, the entry date places it in a period.
func (l *recordLoader) row(rec []string, line int) {
	jr := l.joined(rec)
	capAt, status, ok := l.statusCap(rec, line, jr)
	if !ok {
		return
	}
	furthest, first, good, ok := l.stepDates(rec, line, jr, capAt, status)
	if !ok {
		return
	}
	if status != "" && !l.lost {
		furthest = capAt // the status says how far the row got
	}
	if l.lost && l.lostCol.idx >= 0 {
		ts, has, dok := l.date(l.lostCol, rec, line, jr)
		good = good && dok
		l.lostAt, l.hasLost = ts, has
	}
	var entry csvio.Timestamp
	hasEntry := false
	if l.dateCol.idx >= 0 {
		ts, has, dok := l.date(l.dateCol, rec, line, jr)
		good = good && dok
		entry, hasEntry = ts, has
	} else if first >= 0 {
		entry, hasEntry = l.ts[first], true
	}
	if !good {
		return
	}
	if l.stepCol[0].idx < 0 && hasEntry {
		// The first step has no column of its own: the entry date (records
		// date:) is when it was reached.
		l.ts[0], l.has[0] = entry, true
		furthest = max(furthest, 0)
	}
	if !l.placed(furthest, hasEntry, line, jr) {
		return
	}
	val, hasVal, ok := l.dealValue(rec, line, jr, furthest)
	if !ok {
		return
	}
	l.curJoin, l.curLine = jr, line
	l.countLead(l.tupleOf(rec, jr), entry, furthest, val, hasVal, l.misdated)
}

// misdated is the warning for a step of the current row dated before the
// step before it.
func (l *recordLoader) misdated(i int) error {
	return l.cellError(l.stepCol[i], l.curLine, l.curJoin, "", fmt.Errorf("step %q is dated before step %q: duration left out", l.steps[i], l.steps[i-1]))
}

// layoutSlice indexes layouts by column: a date cell then costs no map
// lookup.
func layoutSlice(m map[int]csvio.DateLayout, n int) []csvio.DateLayout {
	out := make([]csvio.DateLayout, n)
	for c, l := range m {
		out[c] = l
	}
	return out
}

// joined returns the row of the joined file with the row's id, if any,
// and marks it matched.
func (l *recordLoader) joined(rec []string) *joinRow {
	if l.join == nil || l.idCol < 0 {
		return nil
	}
	jr := l.join.rows[strings.TrimSpace(rec[l.idCol])]
	if jr != nil && !jr.matched {
		jr.matched = true
		l.join.matched++
	}
	return jr
}

// statusCap reads the status: the furthest step it lets the row reach
// (capAt), the status itself ("" if none) and whether the row is a lead
// at all (ok false: an unknown status, reported, or one mapped to no
// step). A lost status sets l.lost.
func (l *recordLoader) statusCap(rec []string, line int, jr *joinRow) (capAt int, status string, ok bool) {
	capAt = len(l.steps) - 1
	l.lost, l.hasLost = false, false
	if l.status.idx < 0 {
		return capAt, "", true
	}
	v, _ := l.cell(l.status, rec, jr)
	if v == "" {
		return capAt, "", true
	}
	to, known := l.statusM[v]
	switch {
	case !known:
		l.errs.Add(l.cellError(l.status, line, jr, v, fmt.Errorf("unknown status: expected one of %s", quoteList(sortedStatus(l.statusM)))))
		return 0, "", false
	case to == dropStatus:
		l.t.Dropped++
		return 0, "", false // mapped to no step: not a lead
	case to == lostStatus:
		l.lost = true
		return len(l.steps) - 2, v, true // lost before the last step
	}
	return to, v, true
}

// stepDates reads the date of every step with a column into l.ts and
// l.has: furthest is the last dated step within capAt, first the
// earliest-dated. good is false when a date was bad (reported); ok is
// false when a date contradicts the status (reported, the row is done).
func (l *recordLoader) stepDates(rec []string, line int, jr *joinRow, capAt int, status string) (furthest, first int, good, ok bool) {
	good = true
	furthest, first = -1, -1
	for i, ref := range l.stepCol {
		l.has[i] = false
		if ref.idx < 0 {
			continue
		}
		ts, has, dok := l.date(ref, rec, line, jr)
		good = good && dok
		if !has {
			continue
		}
		if i > capAt {
			// A date column dates a step only for rows whose status
			// reaches it; a date nothing explains contradicts the status.
			if !l.explained(i, capAt) {
				v, _ := l.cell(ref, rec, jr)
				l.errs.Add(l.cellError(ref, line, jr, v, fmt.Errorf("status %q stops %s, but this column dates step %q: fix the row, or map the status to the step it reaches (a lost lead: status {%s: lost} and lost_date)",
					status, l.capWords(capAt), l.steps[i], status)))
				return 0, 0, false, false
			}
			continue
		}
		l.ts[i], l.has[i] = ts, true
		furthest = i
		if first < 0 || ts < l.ts[first] {
			first = i
		}
	}
	return furthest, first, good, true
}

// placed reports whether the row reaches a step and has an entry date;
// if not, it reports why.
func (l *recordLoader) placed(furthest int, hasEntry bool, line int, jr *joinRow) bool {
	if furthest < 0 {
		l.errs.Add(l.cellError(firstCol(l.stepCol[0], l.status, l.dateCol), line, jr, "", errors.New("the row reaches no step: every step date (and the status) is empty")))
		return false
	}
	if !hasEntry {
		l.errs.Add(l.cellError(firstCol(l.dateCol, l.stepCol[0], l.status), line, jr, "", errors.New("empty date: the row cannot be placed in a period")))
		return false
	}
	return true
}

// dealValue reads the value of a won deal (a row that reached the last
// step, not lost); ok is false when it is not a number (reported).
func (l *recordLoader) dealValue(rec []string, line int, jr *joinRow, furthest int) (float64, bool, bool) {
	if l.value.idx < 0 || furthest != len(l.steps)-1 || l.lost {
		return 0, false, true
	}
	v, _ := l.cell(l.value, rec, jr)
	if v == "" {
		return 0, false, true
	}
	n, err := csvio.ParseNumber(v)
	if err != nil {
		l.errs.Add(l.cellError(l.value, line, jr, v, fmt.Errorf("%w: expected an amount like 1234.5 or 1 234,5", csvio.ErrNotNumber)))
		return 0, false, false
	}
	return n, true, true
}

// explained reports whether a date in the column of step i, beyond the
// row's cap, has a reason to be there: the same column dates a step the
// row does reach (a close date dates "closed" for a lost deal and "won"
// for a won one), or it is the loss date of a lost row.
func (l *recordLoader) explained(i, capAt int) bool {
	ref := l.stepCol[i]
	if l.lost && ref == l.lostCol {
		return true
	}
	for j := 0; j <= capAt && j < len(l.stepCol); j++ {
		if l.stepCol[j] == ref {
			return true
		}
	}
	return false
}

// capWords says where a status stops, for an error message.
func (l *recordLoader) capWords(capAt int) string {
	if l.lost {
		return fmt.Sprintf("before step %q (lost)", l.steps[len(l.steps)-1])
	}
	return fmt.Sprintf("at step %q", l.steps[capAt])
}

// tupleOf reads the segment values of a row, in table dimension order,
// into a scratch slice valid until the next row.
func (l *recordLoader) tupleOf(rec []string, jr *joinRow) []string {
	if cap(l.tuple) < len(l.t.Dims) {
		l.tuple = make([]string, len(l.t.Dims))
	}
	tuple := l.tuple[:len(l.t.Dims)]
	for k, ref := range l.segCols {
		v, _ := l.cell(ref, rec, jr)
		tuple[l.dimIdx[k]] = v
	}
	return tuple
}

func sortedStatus(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
