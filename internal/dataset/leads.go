package dataset

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
	"github.com/funnel-report/funnel/internal/period"
)

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

	// The cells, in order of creation, and how a lead finds its own:
	// by packed number (packedKey) or by string key.
	cells     []*aggCell
	ops       []cellOp // changes to cells not applied yet (cellops.go)
	opsSorted []cellOp
	opStarts  []int32
	aggPacked map[uint64]*aggCell
	cellCache cellCache
	agg       map[string]*aggCell
	key       []byte
	valueIDs  []map[string]int32 // per tuple position, for packedKey
	valueMemo []valueCache       // in front of valueIDs
	periods   map[int64]periodRef
	// dayPeriods holds the periods of the days within denseDays of the
	// first date, by day: a lead's period costs an index, not a lookup.
	dayBase      int64
	dayPeriods   []int32 // period id + 1; 0: not seen yet
	periodLabels []string
	periodIDs    map[string]int32
	ts           []csvio.Timestamp // the lead being counted: date per step …
	has          []bool            // … and whether it has one
	lost         bool              // … whether it was lost (status or event mapped to lost) …
	lostAt       csvio.Timestamp   // … and when, if known (hasLost)
	hasLost      bool
	latest       csvio.Timestamp

	dimIdx []int              // table dimension of each segment column
	join   *joinTable         // records: the joined file, read with the first file
	leads  map[string]*evLead // events: what each id did so far
	files  []string           // events: files of evLead positions
	values map[string]string  // events: interned segment values
	events bool

	spread    dateSpread    // dates per column, for outliers (outliers.go)
	daysFile  *csvio.File   // the file daysCols index
	daysCols  []*columnDays // spread columns of daysFile, by column
	dateRange [2]int64      // date_range: in days, if hasRange
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
		byEvent: src.Records.PeriodBy == "event", agg: map[string]*aggCell{}, aggPacked: map[uint64]*aggCell{}, periods: map[int64]periodRef{}, periodIDs: map[string]int32{},
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

// Status targets besides a step index.
const (
	dropStatus = -1 // mapped to no step: not a lead
	lostStatus = -2 // mapped to lost: a competing event
)

// aggCell accumulates one period × segment tuple.
type aggCell struct {
	idx    int32 // in leadCounter.cells
	period string
	tuple  []string
	counts []float64
	durs   []durList // per step: days from the previous step
	// Per step, leads that reached the previous step and not this one:
	// when those still open entered the previous step (censored at the
	// source's latest date by flush), and the days until those lost were
	// lost. With durs, they make the time-to-convert estimate.
	open   []durList // when they entered the previous step (addStart)
	lost   []durList
	valSum float64
	valN   float64
}

// countLead counts one lead into every step up to furthest (a later step
// implies the earlier ones), with the durations between consecutive dated
// steps (l.ts, l.has) and its deal value. A negative duration is left out
// with the warning misdated(i) gives. A lead that stops before the last
// step, dated at its furthest step, is kept for the time-to-convert
// estimate of the next transition: lost (l.lost, at l.lostAt) or open.
func (l *leadCounter) countLead(tuple []string, entry csvio.Timestamp, furthest int, val float64, hasVal bool, misdated func(i int) error) {
	l.t.Leads++
	l.seeLatest(entry, furthest)
	entryP := l.period(entry)
	var last *aggCell // the cell of step furthest
	lastP := periodRef{id: -1}
	from := 0 // the first step counted in last
	for i := 0; i <= furthest; i++ {
		p := entryP
		if l.byEvent {
			p = l.eventPeriod(i, furthest, entryP)
		}
		if last == nil || p.id != lastP.id {
			// One lookup per lead and period, not per step.
			c := l.cellFor(p, tuple)
			if last != nil && c != last {
				l.queue(cellOp{cell: last.idx, kind: opCount, from: uint16(from), to: uint16(i - 1)})
				from = i
			}
			last, lastP = c, p
		}
		if i > 0 && l.has[i] && l.has[i-1] {
			days := float64(l.ts[i]-l.ts[i-1]) / 86400
			if days < 0 {
				l.t.Warnings.Add(misdated(i))
			} else {
				l.queue(cellOp{cell: last.idx, kind: opDur, to: uint16(i), v: days})
			}
		}
		if i == len(l.steps)-1 && hasVal {
			l.queue(cellOp{cell: last.idx, kind: opValue, v: val})
		}
	}
	if last == nil {
		return
	}
	op := cellOp{cell: last.idx, kind: opCount, from: uint16(from), to: uint16(furthest)}
	if next := furthest + 1; next < len(l.steps) && l.has[furthest] {
		// By event, the cell of step furthest is already that of its own
		// date: the lead stopped in the period it reached its last step.
		op.kind, op.v = l.exit(furthest)
	}
	l.queue(op)
}

// seeLatest moves the source's latest date to the lead's latest, if
// later: its entry, a step date up to furthest, or its loss.
func (l *leadCounter) seeLatest(entry csvio.Timestamp, furthest int) {
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
}

// exit is how a lead that reached step furthest (dated) and not the next
// is kept with its last count: the days until it was lost, or when it
// entered furthest (censored at the source's latest date by flush).
func (l *leadCounter) exit(furthest int) (opKind, float64) {
	if !l.lost {
		return opCountOpen, float64(l.ts[furthest])
	}
	days := 0.0 // lost, date unknown: lost at once (it never converts either way)
	if l.hasLost {
		days = max(0, float64(l.lostAt-l.ts[furthest])/86400)
	}
	return opCountLost, days
}

// eventPeriod is the period of step i when counting by event: its own
// date, else that of the nearest later step with a date (an implied step
// happened no later), else the entry period.
func (l *leadCounter) eventPeriod(i, furthest int, entry periodRef) periodRef {
	for j := i; j <= furthest; j++ {
		if l.has[j] {
			return l.period(l.ts[j])
		}
	}
	return entry
}

func (l *leadCounter) period(ts csvio.Timestamp) periodRef {
	day := ts.Day()
	if l.dayPeriods == nil {
		l.dayBase, l.dayPeriods = day-denseDays/2, make([]int32, denseDays)
	}
	o := day - l.dayBase
	dense := o >= 0 && o < denseDays
	if dense && l.dayPeriods[o] > 0 {
		id := l.dayPeriods[o] - 1
		return periodRef{l.periodLabels[id], id}
	}
	p, ok := l.periods[day]
	if !ok {
		label := period.Of(csvio.Timestamp(day*86400).Time(), l.r.Granularity)
		id, seen := l.periodIDs[label]
		if !seen {
			id = int32(len(l.periodLabels))
			l.periodIDs[label] = id
			l.periodLabels = append(l.periodLabels, label)
		}
		p = periodRef{label, id}
		l.periods[day] = p
	}
	if dense {
		l.dayPeriods[o] = p.id + 1
	}
	return p
}

// periodRef is a period label and its number in the source (in order of
// first appearance).
type periodRef struct {
	label string
	id    int32
}

func (l *leadCounter) cellFor(p periodRef, tuple []string) *aggCell {
	if k, ok := l.packedKey(p, tuple); ok {
		if c := l.cellCache.get(k); c != nil {
			return c
		}
		c := l.aggPacked[k]
		if c == nil {
			c = l.newCell(p.label, tuple)
			l.aggPacked[k] = c
		}
		l.cellCache.put(k, c)
		return c
	}
	l.key = append(l.key[:0], p.label...)
	for _, v := range tuple {
		l.key = append(l.key, 0x1f)
		l.key = append(l.key, v...)
	}
	if c, ok := l.agg[string(l.key)]; ok {
		return c
	}
	c := l.newCell(p.label, tuple)
	l.agg[string(l.key)] = c
	return c
}

// packedKey numbers a (period, tuple) as one integer when it has at most
// three segments and fewer than 65,536 periods and values of each: an
// integer-keyed lookup per lead instead of a string built and hashed.
// Other cells are found by their string key; a cell is only ever found
// one way, as the numbers of its values never change.
func (l *leadCounter) packedKey(p periodRef, tuple []string) (uint64, bool) {
	if len(tuple) > 3 || p.id >= 1<<16 {
		return 0, false
	}
	if l.valueIDs == nil {
		// Tuples of one length only: one of another length (none is
		// expected) takes the string key, so no two tuples share a number.
		l.valueIDs = make([]map[string]int32, len(tuple))
		l.valueMemo = make([]valueCache, len(tuple))
		for d := range l.valueIDs {
			l.valueIDs[d] = map[string]int32{}
		}
	}
	if len(tuple) != len(l.valueIDs) {
		return 0, false
	}
	k := uint64(p.id)
	for d, v := range tuple {
		id := l.valueMemo[d].id(v, l.valueIDs[d])
		if id >= 1<<16 {
			return 0, false
		}
		k |= uint64(id) << (16 * (d + 1))
	}
	return k, true
}

// newCell makes the cell of (period, tuple); tuple and its values are
// copied (a records row is borrowed: csvio.File.Borrow).
func (l *leadCounter) newCell(period string, tuple []string) *aggCell {
	n := len(l.steps)
	own := make([]string, len(tuple))
	for i, v := range tuple {
		own[i] = strings.Clone(v)
	}
	c := &aggCell{idx: int32(len(l.cells)), period: period, tuple: own, counts: make([]float64, n), durs: make([]durList, n),
		open: make([]durList, n), lost: make([]durList, n)}
	l.cells = append(l.cells, c)
	return c
}

// flush adds the aggregated counts, mean values and durations to the
// table: the total and each single segment value, every step (zeros
// included: for records, not reaching a step is a measurement), for every
// period and segment value the source has.
func (l *leadCounter) flush() {
	l.applyOps()
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
	cells := slices.Clone(l.cells)
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
		for i := range c.durs {
			if c.durs[i].len() > 0 {
				l.t.addDurations(c.period, c.tuple, l.steps[i], &c.durs[i])
			}
		}
		for i := range c.lost {
			if c.lost[i].len() > 0 {
				l.t.addDurations(c.period, c.tuple, lostKey(l.steps[i]), &c.lost[i])
				l.t.hasExits = true
			}
		}
		for i := range c.open {
			if c.open[i].len() == 0 {
				continue
			}
			waited := c.open[i].censor(int64(l.latest)) // censored at the source's latest date
			l.t.addDurations(c.period, c.tuple, openKey(l.steps[i]), &waited)
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
