package dataset

import (
	"errors"
	"fmt"
	"github.com/funnel-report/funnel/internal/csvio"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/period"
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

// leadCounter counts the leads of one configured records or events
// source, across every file its path matches (monthly exports merge), and
// adds them to the table once, at the end.
type leadCounter struct {
	name    string // the configured path, for positions of aggregated values
	t       *Table
	errs    *ErrorList
	r       *config.Records
	steps   []string
	byEvent bool

	agg     map[string]*aggCell
	key     []byte
	periods map[int64]string
	ts      []csvio.Timestamp // the lead being counted: date per step …
	has     []bool            // … and whether it has one
	lost    bool              // … whether it was lost (status or event mapped to lost) …
	lostAt  csvio.Timestamp   // … and when, if known (hasLost)
	hasLost bool
	latest  csvio.Timestamp

	dimIdx []int              // table dimension of each segment column
	join   *joinTable         // records: the joined file, read with the first file
	leads  map[string]*evLead // events: what each id did so far
	files  []string           // events: files of evLead positions
	values map[string]string  // events: interned segment values
	events bool

	spread    dateSpread // dates per column, for outliers (outliers.go)
	dateRange [2]int64   // date_range: in days, if hasRange
	hasRange  bool
}

func newLeadCounter(cfg *config.Config, src config.Source, t *Table, errs *ErrorList) (*leadCounter, error) {
	steps, err := cfg.RecordSteps(src.Kind, src.Records)
	if err != nil {
		return nil, &ParseError{File: src.Path, Err: err}
	}
	dr, hasRange, err := parseDateRange(src.Records.DateRange)
	if err != nil {
		return nil, &ParseError{File: src.Path, Err: err}
	}
	return &leadCounter{name: src.Path, t: t, errs: errs, r: src.Records, steps: steps,
		byEvent: src.Records.PeriodBy == "event", agg: map[string]*aggCell{}, periods: map[int64]string{},
		ts: make([]csvio.Timestamp, len(steps)), has: make([]bool, len(steps)),
		leads: map[string]*evLead{}, values: map[string]string{}, events: src.Kind == "events",
		dateRange: dr, hasRange: hasRange}, nil
}

// finish counts what is still pending (event-log ids) and adds everything
// to the table.
func (lc *leadCounter) finish() {
	if lc.spread.check(lc.errs, lc.dateRange, lc.hasRange); lc.errs.Err() != nil {
		return
	}
	if lc.events {
		lc.countEvents()
	}
	lc.flush()
	lc.reportUnmatched()
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
	layouts [2]map[int]csvio.DateLayout
	tuple   []string // scratch, copied into a new aggCell
}

// Status targets besides a step index.
const (
	dropStatus = -1 // mapped to no step: not a lead
	lostStatus = -2 // mapped to lost: a competing event
)

// aggCell accumulates one period × segment tuple.
type aggCell struct {
	period string
	tuple  []string
	counts []float64
	durs   [][]float64 // per step: days from the previous step
	// Per step, leads that reached the previous step and not this one:
	// when those still open entered the previous step (censored at the
	// source's latest date by flush), and the days until those lost were
	// lost. With durs, they make the time-to-convert estimate.
	open   [][]float64 // seconds since 1970 until flush, then days waited
	lost   [][]float64
	valSum float64
	valN   float64
}

func loadRecords(fsys fs.FS, cfg *config.Config, src config.Source, d csvio.Dialect, in io.Reader, lc *leadCounter) error {
	r := src.Records
	main, err := csvio.Open(src.Path, in, d)
	if err != nil {
		return err
	}
	l := &recordLoader{leadCounter: lc, cfg: cfg, main: main}
	if r.Join != nil && lc.join == nil {
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
	// Dates: the joined file is in memory, detect over all of it; the main
	// file is detected over its first rows.
	var mainCols, joinCols []csvio.DateColumn
	for _, ref := range append(append([]colRef{}, l.stepCol...), l.dateCol, l.lostCol) {
		if ref.idx < 0 {
			continue
		}
		dc := csvio.DateColumn{Col: ref.idx, Det: csvio.NewDetector(configured)}
		if ref.file == 0 {
			mainCols = append(mainCols, dc)
		} else {
			joinCols = append(joinCols, dc)
		}
	}
	if l.join != nil {
		for _, jr := range l.join.order {
			for _, c := range joinCols {
				if v := strings.TrimSpace(jr.rec[c.Col]); v != "" {
					c.Det.Observe(v)
				}
			}
		}
	}
	it, err := csvio.Prefetch(main, mainCols)
	if err != nil {
		return err
	}
	var dets []*csvio.Detector
	for _, c := range append(append([]csvio.DateColumn{}, mainCols...), joinCols...) {
		dets = append(dets, c.Det)
	}
	if l.layouts[0], err = csvio.SettleLayouts(main.Name, main.Header, mainCols, dets); err != nil {
		return err
	}
	if l.join != nil {
		if l.layouts[1], err = csvio.SettleLayouts(l.join.name, l.join.header, joinCols, dets); err != nil {
			return err
		}
	}
	for !lc.errs.Full() {
		rec, line, err := it.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		lc.t.Rows++
		l.row(rec, line)
	}
	return nil
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

// resolve finds every configured column in the main or joined header.
func (l *recordLoader) resolve() error {
	r := l.r
	find := func(name string) (colRef, error) {
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
	var err error
	l.idCol = -1
	if r.ID != "" {
		if l.idCol = l.main.Column(r.ID); l.idCol < 0 {
			return missingColumn(l.main.Name, r.ID, l.main.Header)
		}
	}
	byStep := map[string]string{}
	for _, st := range r.Steps {
		byStep[st.Step] = st.Column
	}
	l.stepCol = make([]colRef, len(l.steps))
	for i, s := range l.steps {
		l.stepCol[i] = noCol
		if c := byStep[s]; c != "" {
			if l.stepCol[i], err = find(c); err != nil {
				return err
			}
		}
	}
	l.status, l.dateCol, l.value, l.lostCol = noCol, noCol, noCol, noCol
	if r.StatusColumn != "" {
		if l.status, err = find(r.StatusColumn); err != nil {
			return err
		}
		l.statusM = map[string]int{}
		for v, to := range r.Status {
			i := slices.Index(l.steps, to)
			if l.cfg.IsLost(to, l.steps) {
				i = lostStatus
			}
			l.statusM[strings.TrimSpace(v)] = i
		}
	}
	if r.LostDate != "" {
		if l.lostCol, err = find(r.LostDate); err != nil {
			return err
		}
	}
	if r.Date != "" {
		if l.dateCol, err = find(r.Date); err != nil {
			return err
		}
	} else if l.stepCol[0].idx < 0 {
		return &ParseError{File: l.main.Name, Err: fmt.Errorf("step %q has no date column: name the entry-date column (records date:) so leads can be placed in periods", l.steps[0])}
	}
	segs := r.Segments
	if len(segs) == 0 {
		segs = l.cfg.Segments
	}
	l.dimIdx = l.dimIdx[:0]
	for _, s := range segs {
		ref, ferr := find(s)
		if ferr != nil {
			return ferr
		}
		l.segCols = append(l.segCols, ref)
		l.dimIdx = append(l.dimIdx, l.t.AddDim(s))
	}
	if r.Value != "" {
		if l.value, err = find(r.Value); err != nil {
			return err
		}
	}
	return nil
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
		pe := &ParseError{File: l.main.Name, Column: l.main.Header[ref.idx], Value: value, Err: err}
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
	ts, ok := lay.Parse(v)
	if !ok {
		l.errs.Add(l.cellError(ref, line, jr, v, fmt.Errorf("not a date: expected %s (optionally with HH:MM), as the rest of the column", lay)))
		return 0, false, false
	}
	if ref.file == 0 {
		l.spread.see(l.main.Name, l.main.Header[ref.idx], line, v, ts)
	} else {
		l.spread.see(l.join.name, l.join.header[ref.idx], jr.line, v, ts)
	}
	return ts, true, true
}

func (l *recordLoader) row(rec []string, line int) {
	var jr *joinRow
	if l.join != nil && l.idCol >= 0 {
		if jr = l.join.rows[strings.TrimSpace(rec[l.idCol])]; jr != nil && !jr.matched {
			jr.matched = true
			l.join.matched++
		}
	}
	// The status first: it caps the furthest step the row reaches.
	capAt, status := len(l.steps)-1, ""
	l.lost, l.hasLost = false, false
	if l.status.idx >= 0 {
		if v, _ := l.cell(l.status, rec, jr); v != "" {
			to, known := l.statusM[v]
			switch {
			case !known:
				l.errs.Add(l.cellError(l.status, line, jr, v, fmt.Errorf("unknown status: expected one of %s", quoteList(sortedStatus(l.statusM)))))
				return
			case to == dropStatus:
				l.t.Dropped++
				return // mapped to no step: not a lead
			case to == lostStatus:
				l.lost, capAt, status = true, len(l.steps)-2, v // lost before the last step
			default:
				capAt, status = to, v
			}
		}
	}
	good := true
	furthest, first := -1, -1
	for i, ref := range l.stepCol {
		l.has[i] = false
		if ref.idx < 0 {
			continue
		}
		ts, has, ok := l.date(ref, rec, line, jr)
		good = good && ok
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
				return
			}
			continue
		}
		l.ts[i], l.has[i] = ts, true
		furthest = i
		if first < 0 || ts < l.ts[first] {
			first = i
		}
	}
	if status != "" && !l.lost {
		furthest = capAt // the status says how far the row got
	}
	if l.lost && l.lostCol.idx >= 0 {
		ts, has, ok := l.date(l.lostCol, rec, line, jr)
		good = good && ok
		l.lostAt, l.hasLost = ts, has
	}
	var entry csvio.Timestamp
	hasEntry := false
	if l.dateCol.idx >= 0 {
		ts, has, ok := l.date(l.dateCol, rec, line, jr)
		good = good && ok
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
	if furthest < 0 {
		l.errs.Add(l.cellError(firstCol(l.stepCol[0], l.status, l.dateCol), line, jr, "", errors.New("the row reaches no step: every step date (and the status) is empty")))
		return
	}
	if !hasEntry {
		l.errs.Add(l.cellError(firstCol(l.dateCol, l.stepCol[0], l.status), line, jr, "", errors.New("empty date: the row cannot be placed in a period")))
		return
	}
	var val float64
	hasVal := false
	if l.value.idx >= 0 && furthest == len(l.steps)-1 && !l.lost {
		if v, _ := l.cell(l.value, rec, jr); v != "" {
			n, err := csvio.ParseNumber(v)
			if err != nil {
				l.errs.Add(l.cellError(l.value, line, jr, v, fmt.Errorf("%w: expected an amount like 1234.5 or 1 234,5", csvio.ErrNotNumber)))
				return
			}
			val, hasVal = n, true
		}
	}
	l.countLead(l.tupleOf(rec, jr), entry, furthest, val, hasVal, func(i int) error {
		return l.cellError(l.stepCol[i], line, jr, "", fmt.Errorf("step %q is dated before step %q: duration left out", l.steps[i], l.steps[i-1]))
	})
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

// countLead counts one lead into every step up to furthest (a later step
// implies the earlier ones), with the durations between consecutive dated
// steps (l.ts, l.has) and its deal value. A negative duration is left out
// with the warning misdated(i) gives. A lead that stops before the last
// step, dated at its furthest step, is kept for the time-to-convert
// estimate of the next transition: lost (l.lost, at l.lostAt) or open.
func (l *leadCounter) countLead(tuple []string, entry csvio.Timestamp, furthest int, val float64, hasVal bool, misdated func(i int) error) {
	l.t.Leads++
	latest := entry
	for i := 0; i <= furthest; i++ {
		if l.has[i] && l.ts[i] > latest {
			latest = l.ts[i]
		}
	}
	if l.lost && l.hasLost && l.lostAt > latest {
		latest = l.lostAt
	}
	if latest > l.latest {
		l.latest = latest
	}
	entryP := l.period(entry)
	var last *aggCell // the cell of step furthest
	lastP := ""
	for i := 0; i <= furthest; i++ {
		p := entryP
		if l.byEvent {
			p = l.eventPeriod(i, furthest, entryP)
		}
		c := last
		if c == nil || p != lastP {
			// One lookup per lead and period, not per step.
			c, lastP = l.cellFor(p, tuple), p
		}
		last = c
		c.counts[i]++
		if i > 0 && l.has[i] && l.has[i-1] {
			days := float64(l.ts[i]-l.ts[i-1]) / 86400
			if days < 0 {
				l.t.Warnings.Add(misdated(i))
			} else {
				c.durs[i] = append(c.durs[i], days)
			}
		}
		if i == len(l.steps)-1 && hasVal {
			c.valSum += val
			c.valN++
		}
	}
	if next := furthest + 1; next < len(l.steps) && last != nil && l.has[furthest] {
		// By event, the cell of step furthest is already that of its own
		// date: the lead stopped in the period it reached its last step.
		c := last
		if l.lost {
			days := 0.0 // lost, date unknown: lost at once (it never converts either way)
			if l.hasLost {
				days = max(0, float64(l.lostAt-l.ts[furthest])/86400)
			}
			c.lost[next] = append(c.lost[next], days)
		} else {
			c.open[next] = append(c.open[next], float64(l.ts[furthest]))
		}
	}
}

// eventPeriod is the period of step i when counting by event: its own
// date, else that of the nearest later step with a date (an implied step
// happened no later), else the entry period.
func (l *leadCounter) eventPeriod(i, furthest int, entry string) string {
	for j := i; j <= furthest; j++ {
		if l.has[j] {
			return l.period(l.ts[j])
		}
	}
	return entry
}

func (l *leadCounter) period(ts csvio.Timestamp) string {
	day := ts.Day()
	p, ok := l.periods[day]
	if !ok {
		p = period.Of(csvio.Timestamp(day*86400).Time(), l.r.Granularity)
		l.periods[day] = p
	}
	return p
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

func (l *leadCounter) cellFor(period string, tuple []string) *aggCell {
	l.key = append(l.key[:0], period...)
	for _, v := range tuple {
		l.key = append(l.key, 0x1f)
		l.key = append(l.key, v...)
	}
	if c, ok := l.agg[string(l.key)]; ok {
		return c
	}
	c := &aggCell{period: period, tuple: append([]string(nil), tuple...), counts: make([]float64, len(l.steps)), durs: make([][]float64, len(l.steps)),
		open: make([][]float64, len(l.steps)), lost: make([][]float64, len(l.steps))}
	l.agg[string(l.key)] = c
	return c
}

// flush adds the aggregated counts, mean values and durations to the
// table: the total and each single segment value, every step (zeros
// included: for records, not reaching a step is a measurement), for every
// period and segment value the source has.
func (l *leadCounter) flush() {
	cells := l.sortedCells()
	views, sizes := l.segmentSums(cells)
	if lt := l.latest.Time(); l.t.Leads > 0 && lt.After(l.t.Latest) {
		l.t.Latest = lt
	}
	l.addCounts(orderedViews(views, sizes), views)
	// Durations last: the counts above set the order of segment values.
	l.addCellDurations(cells)
}

// aggView is one (period, segment) the counts are summed into; dim −1 is
// the total.
type aggView struct {
	period string
	dim    int
	value  string
}

// aggSums are a view's summed step counts and deal values.
type aggSums struct {
	counts       []float64
	valSum, valN float64
}

// sortedCells are the aggregated cells in a stable order (period, then
// segment tuple), so sums are byte-identical between runs.
func (l *leadCounter) sortedCells() []*aggCell {
	cells := make([]*aggCell, 0, len(l.agg))
	for _, c := range l.agg {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(i, j int) bool {
		if cells[i].period != cells[j].period {
			return cells[i].period < cells[j].period
		}
		return strings.Join(cells[i].tuple, "\x1f") < strings.Join(cells[j].tuple, "\x1f")
	})
	return cells
}

// segmentSums sums the cells into the total and each single segment of
// every period; sizes are the leads per segment value (period ""), for
// display order. A segment value with no lead in a period has zero leads
// there: for records, that is a measurement too.
func (l *leadCounter) segmentSums(cells []*aggCell) (map[aggView]*aggSums, map[aggView]float64) {
	views := map[aggView]*aggSums{}
	add := func(v aggView, c *aggCell) {
		s := views[v]
		if s == nil {
			s = &aggSums{counts: make([]float64, len(l.steps))}
			views[v] = s
		}
		for i, n := range c.counts {
			s.counts[i] += n
		}
		s.valSum += c.valSum
		s.valN += c.valN
	}
	sizes := map[aggView]float64{}
	for _, c := range cells {
		add(aggView{c.period, -1, ""}, c)
		for _, d := range l.dimIdx {
			if v := c.tuple[d]; v != "" {
				add(aggView{c.period, d, v}, c)
				sizes[aggView{"", d, v}] += c.counts[0]
			}
		}
	}
	var periods []string
	for k := range views {
		if k.dim < 0 {
			periods = append(periods, k.period)
		}
	}
	for sv := range sizes {
		for _, p := range periods {
			if v := (aggView{p, sv.dim, sv.value}); views[v] == nil {
				views[v] = &aggSums{counts: make([]float64, len(l.steps))}
			}
		}
	}
	return views, sizes
}

// orderedViews lists the views totals first, then each dimension's
// values by size (largest first), so segment values appear in the table
// in a useful, stable order.
func orderedViews(views map[aggView]*aggSums, sizes map[aggView]float64) []aggView {
	keys := make([]aggView, 0, len(views))
	for k := range views {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.dim != b.dim {
			return a.dim < b.dim
		}
		if a.value != b.value {
			sa, sb := sizes[aggView{"", a.dim, a.value}], sizes[aggView{"", b.dim, b.value}]
			if sa != sb {
				return sa > sb
			}
			return a.value < b.value
		}
		return a.period < b.period
	})
	return keys
}

// addCounts adds each view's step counts and average deal value to the
// table.
func (l *leadCounter) addCounts(keys []aggView, views map[aggView]*aggSums) {
	pos := Pos{File: l.name}
	for _, k := range keys {
		s := views[k]
		seg := map[string]string{}
		if k.dim >= 0 {
			seg[l.t.Dims[k.dim]] = k.value
		}
		for i, n := range s.counts {
			if err := l.t.Add(k.period, seg, l.steps[i], n, pos); err != nil {
				l.errs.Add(err)
			}
		}
		if s.valN > 0 {
			if err := l.t.Add(k.period, seg, l.r.ValueMetric, s.valSum/s.valN, pos); err != nil {
				l.errs.Add(err)
			}
		}
	}
}

// addCellDurations adds the cells' days to convert, to be lost and
// (censored at the source's latest date) still open.
func (l *leadCounter) addCellDurations(cells []*aggCell) {
	for _, c := range cells {
		for i, ds := range c.durs {
			if len(ds) > 0 {
				l.t.addDurations(c.period, c.tuple, l.steps[i], ds)
			}
		}
		for i, ds := range c.lost {
			if len(ds) > 0 {
				l.t.addDurations(c.period, c.tuple, lostKey(l.steps[i]), ds)
				l.t.hasExits = true
			}
		}
		for i, ds := range c.open {
			if len(ds) == 0 {
				continue
			}
			for k, start := range ds { // in place: a million open leads need no second slice
				ds[k] = max(0, (float64(l.latest)-start)/86400) // censored at the source's latest date
			}
			l.t.addDurations(c.period, c.tuple, openKey(l.steps[i]), ds)
			l.t.hasExits = true
		}
	}
}

// reportUnmatched warns about joined rows no lead referred to.
func (l *leadCounter) reportUnmatched() {
	if l.join == nil || l.join.matched == len(l.join.order) {
		return
	}
	n := len(l.join.order) - l.join.matched
	for _, jr := range l.join.order {
		if !jr.matched {
			l.t.Warnings.Add(&ParseError{File: l.join.name, Line: jr.line, Column: l.join.header[l.join.idCol], Value: jr.id,
				Err: fmt.Errorf("%d joined rows match no row of %s; this is the first, ignored", n, l.name)})
			return
		}
	}
}

func sortedStatus(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
