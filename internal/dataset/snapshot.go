package dataset

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
)

// reserved columns of a snapshot that are neither segments nor metrics.
var reserved = map[string]bool{"period": true, "metric": true, "value": true, "stage": true, "note": true}

// loadSnapshot reads a snapshot file. The long form is streamed; the wide
// form is held in memory when its segment columns must be told from its
// metric columns by their values.
func loadSnapshot(name string, in io.Reader, d csvio.Dialect, cfg *config.Config, t *Table, errs *ErrorList) error {
	f, err := csvio.Open(name, in, d)
	if err != nil {
		return err
	}
	if f.Column("period") < 0 {
		return &ParseError{File: name, Line: 1, Err: errNoPeriod}
	}
	if f.Column("metric") >= 0 && f.Column("value") >= 0 {
		return loadLong(f, cfg, t, errs)
	}
	// Wide form: with segments configured, stream; otherwise segment
	// columns are told from metric columns by their values, which needs
	// every row first.
	it := csvio.Stream(f)
	if len(cfg.Segments) == 0 {
		if it, err = csvio.ReadAll(f); err != nil {
			return err
		}
	}
	return loadWide(f, it, cfg, t, errs)
}

// metricRule is what the config says about one metric id, looked up once
// per id instead of once per row.
type metricRule struct {
	known bool
	m     *config.Metric
	id    int32 // interned in the table
	bad   error // the name is no label (checkLabel)
}

// snapshotLoader reads the rows of one snapshot file, long or wide: the
// checks of a row's period, segment cells and values are shared.
type snapshotLoader struct {
	f       *csvio.File
	cfg     *config.Config
	t       *Table
	errs    *ErrorList
	periods periodChecker
	periodC int
	segCols []int // segment columns …
	segDims []int // … and their table dimensions
	vals    []string
	rows    int
	// The tuple number of tupleVals, or -1 (tupleID).
	tuple     int32
	tupleVals []string
}

func newSnapshotLoader(f *csvio.File, cfg *config.Config, t *Table, errs *ErrorList) *snapshotLoader {
	return &snapshotLoader{f: f, cfg: cfg, t: t, errs: errs, periodC: f.Column("period"), tuple: -1}
}

// addSegment makes column i a segment column.
func (s *snapshotLoader) addSegment(i int) {
	s.segCols = append(s.segCols, i)
	s.segDims = append(s.segDims, s.t.AddDim(s.f.Header[i]))
}

// period returns the row's canonical period label; ok is false when it is
// empty or wrong (reported).
func (s *snapshotLoader) period(rec []string, line int) (string, bool) {
	p := strings.TrimSpace(rec[s.periodC])
	if p == "" {
		s.errs.Add(cellError(s.f, line, s.periodC, "", errors.New("empty period")))
		return "", false
	}
	p, err := s.periods.check(p, line)
	if err != nil {
		s.errs.Add(cellError(s.f, line, s.periodC, rec[s.periodC], err))
		return "", false
	}
	return p, true
}

// segments reads the row's segment cells into s.vals (table dimension
// order); ok is false on a bad label (reported).
func (s *snapshotLoader) segments(rec []string, line int) bool {
	if len(s.vals) != len(s.t.Dims) {
		s.vals = make([]string, len(s.t.Dims))
	}
	if c, err := segmentValues(s.segCols, s.segDims, rec, s.vals); err != nil {
		s.errs.Add(cellError(s.f, line, c, rec[c], err))
		s.tuple = -1
		return false
	}
	return true
}

// tupleID is the table's number of the segment values in s.vals; a row
// whose values are those of the row before reuses its number (long-form
// rows come in runs of one tuple, one row per metric).
func (s *snapshotLoader) tupleID() int32 {
	if s.tuple < 0 || !slices.Equal(s.vals, s.tupleVals) {
		s.tuple = s.t.tuple(s.vals)
		s.tupleVals = append(s.tupleVals[:0], s.vals...)
	}
	return s.tuple
}

// value reads the number in column c under metric m's rule; has is false
// for an empty cell (not measured) or a bad one (reported).
func (s *snapshotLoader) value(rec []string, line, c int, m *config.Metric) (v float64, has bool) {
	raw := rec[c]
	v, err := csvio.ParseNumber(raw)
	if err == csvio.ErrEmpty {
		return 0, false // not measured
	}
	if err == nil {
		v, err = checkRule(m, v, raw)
	} else {
		err = fmt.Errorf("%w: expected a number like 1234.5, 1 234,5 or 18%%", csvio.ErrNotNumber)
	}
	if err != nil {
		s.errs.Add(cellError(s.f, line, c, raw, err))
		return 0, false
	}
	return v, true
}

// done adds the file's rows to the table's count; a file without any is
// an error (unless it had others).
func (s *snapshotLoader) done() error {
	s.t.Rows += s.rows
	if s.rows == 0 && s.errs.Err() == nil {
		return &ParseError{File: s.f.Name, Line: 1, Err: errNoData}
	}
	return nil
}

// loadLong streams a long-form snapshot with encoding/csv. It used gocsv
// (rows mapped into a struct through a Decoder adapter) until
// BenchmarkSnapshotIngest showed gocsv's mapping alone costing more than
// the whole 2× budget docs/design.md §7 allows over plain encoding/csv + strconv:
// three fixed columns gain nothing from struct mapping.
func loadLong(f *csvio.File, cfg *config.Config, t *Table, errs *ErrorList) error {
	// Nothing of a row is kept past it but copies (segment values, labels,
	// ids, error values): its fields may point into the read buffer.
	f.Borrow()
	l := &longLoader{snapshotLoader: newSnapshotLoader(f, cfg, t, errs), rules: map[string]metricRule{}, recent: make([]namedRule, 0, 16),
		metricC: f.Column("metric"), valueC: f.Column("value")}
	for i, h := range f.Header {
		if !reserved[strings.ToLower(h)] && isSegment(cfg, h) {
			l.addSegment(i)
		}
	}
	for !errs.Full() {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		l.rows++
		l.row(rec, f.Line)
	}
	return l.done()
}

// longLoader reads a long-form snapshot: period, segments, metric, value.
type longLoader struct {
	*snapshotLoader
	rules           map[string]metricRule
	recent          []namedRule // the first ids seen, up to its capacity
	next            int         // index in recent of the last id found there
	metricC, valueC int
}

func (l *longLoader) row(rec []string, line int) {
	metric := strings.TrimSpace(rec[l.metricC])
	rule := l.rule(metric)
	period, ok := l.period(rec, line)
	if !ok {
		return
	}
	switch {
	case metric == "":
		l.errs.Add(cellError(l.f, line, l.metricC, "", errors.New("empty metric")))
		return
	case rule.bad != nil:
		l.errs.Add(cellError(l.f, line, l.metricC, metric, rule.bad))
		return
	case !rule.known:
		l.errs.Add(cellError(l.f, line, l.metricC, metric, unknownMetric(l.cfg)))
		return
	}
	v, has := l.value(rec, line, l.valueC, rule.m)
	if !has || !l.segments(rec, line) {
		return
	}
	k := obsKey{l.t.period(period), l.tupleID(), rule.id}
	if err := l.t.addObs(k, v, Pos{l.f.Name, line}); err != nil {
		l.errs.Add(err)
	}
}

// rule is what the config says about a metric id, looked up once per id.
// The first few ids are kept in a list too: a long file cycles through
// its steps, and comparing a short string to a handful costs less than
// hashing it.
func (l *longLoader) rule(metric string) metricRule {
	if n := len(l.recent); n > 0 {
		// Rows cycle through the ids in one order: try the one after the
		// last first.
		if i := (l.next + 1) % n; l.recent[i].name == metric {
			l.next = i
			return l.recent[i].rule
		}
		for i := range l.recent {
			if l.recent[i].name == metric {
				l.next = i
				return l.recent[i].rule
			}
		}
	}
	rule, ok := l.rules[metric]
	if !ok {
		rule = metricRule{knownMetric(l.cfg, metric), l.cfg.Metric(metric), -1, checkLabel(metric)}
		if rule.known && rule.bad == nil && metric != "" {
			rule.id = l.t.name(metric)
		}
		metric = strings.Clone(metric)
		l.rules[metric] = rule
		if len(l.recent) < cap(l.recent) {
			l.recent = append(l.recent, namedRule{metric, rule})
		}
	}
	return rule
}

type namedRule struct {
	name string
	rule metricRule
}

// loadWide reads a wide snapshot: a period, segment columns and one
// column per metric.
func loadWide(f *csvio.File, it *csvio.Rows, cfg *config.Config, t *Table, errs *ErrorList) error {
	s := newSnapshotLoader(f, cfg, t, errs)
	metricCols, rules, err := s.wideColumns(it)
	if err != nil {
		return err
	}
	for !errs.Full() {
		rec, line, err := it.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		s.rows++
		f.Line = line
		period, ok := s.period(rec, line)
		if !ok || !s.segments(rec, line) {
			continue
		}
		pid, tid := t.period(period), s.tupleID()
		slots := t.rowSlots(pid, tid)
		for j, c := range metricCols {
			v, has := s.value(rec, line, c, rules[j].m)
			if !has {
				continue
			}
			m := rules[j].id
			if err := t.addInRow(&slots[m], obsKey{pid, tid, m}, v, Pos{f.Name, line}); err != nil {
				errs.Add(err)
			}
		}
	}
	return s.done()
}

// wideColumns tells a wide file's segment columns from its metric
// columns (by config, else by their held values) and checks each metric.
func (s *snapshotLoader) wideColumns(it *csvio.Rows) ([]int, []metricRule, error) {
	f := s.f
	var metricCols []int
	for i, h := range f.Header {
		switch {
		case i == s.periodC || reserved[strings.ToLower(h)]:
		case isSegmentColumn(s.cfg, h, it.Held(), i):
			s.addSegment(i)
		default:
			metricCols = append(metricCols, i)
		}
	}
	if len(metricCols) == 0 {
		return nil, nil, &ParseError{File: f.Name, Line: 1, Err: errNoMetric}
	}
	rules := make([]metricRule, len(metricCols))
	for j, c := range metricCols {
		if err := checkLabel(f.Header[c]); err != nil {
			return nil, nil, f.HeaderError(c, err)
		}
		if !knownMetric(s.cfg, f.Header[c]) {
			return nil, nil, f.HeaderError(c, unknownMetric(s.cfg))
		}
		rules[j] = metricRule{true, s.cfg.Metric(f.Header[c]), s.t.name(f.Header[c]), nil}
	}
	return metricCols, rules, nil
}

// segmentValues reads a row's segment cells into vals; on a bad label it
// returns the column at fault.
func segmentValues(segCols, segDims []int, rec []string, vals []string) (int, error) {
	for j, c := range segCols {
		v := strings.TrimSpace(rec[c])
		if v == vals[segDims[j]] {
			continue // as in the row before, checked then: rows come grouped
		}
		if err := checkLabel(v); err != nil {
			return c, err
		}
		vals[segDims[j]] = strings.Clone(v) // compared with the next row's: a long-form row is borrowed
	}
	return -1, nil
}

// isSegment decides for a long-form column: configured segments win;
// otherwise every non-reserved column is a segment.
func isSegment(cfg *config.Config, col string) bool {
	if len(cfg.Segments) > 0 {
		for _, s := range cfg.Segments {
			if s == col {
				return true
			}
		}
		return false
	}
	return true
}

// isSegmentColumn decides for a wide-form column: configured segments and
// metrics win; otherwise a column is a metric when at least 95% of its
// filled cells are numbers, and a segment when fewer are. One typo in a
// count (32O) then stays an error naming its line instead of silently
// turning the step into a segment dimension.
func isSegmentColumn(cfg *config.Config, col string, rows [][]string, i int) bool {
	if len(cfg.Segments) > 0 {
		return isSegment(cfg, col)
	}
	if cfg.StepIndex(col) >= 0 || cfg.Metric(col) != nil {
		return false
	}
	filled, bad := 0, 0
	for _, r := range rows {
		if s := strings.TrimSpace(r[i]); s != "" {
			filled++
			if _, err := csvio.ParseNumber(s); err != nil {
				bad++
			}
		}
	}
	return bad > 0 && float64(filled-bad) < minNumericShare*float64(filled)
}

// minNumericShare of a column's filled cells must be numbers for the
// column to be a metric in a project without segments configured.
const minNumericShare = 0.95

// knownMetric: with steps configured, data may only use configured steps
// and metrics; with no steps configured, every other metric is a step.
func knownMetric(cfg *config.Config, id string) bool {
	if len(cfg.Steps) == 0 {
		return true
	}
	return cfg.StepIndex(id) >= 0 || cfg.Metric(id) != nil
}

func unknownMetric(cfg *config.Config) error {
	ids := make([]string, 0, len(cfg.Steps)+len(cfg.Metrics))
	for _, s := range cfg.Steps {
		ids = append(ids, s.ID)
	}
	for _, m := range cfg.Metrics {
		ids = append(ids, m.ID)
	}
	return fmt.Errorf("unknown metric: %s declares %s", cfg.File, strings.Join(ids, ", "))
}

// maxExact is the largest magnitude a float64 holds to the unit: counts
// beyond it cannot be exact, and sums of such values overflow to infinity
// (written as null).
const maxExact = 1 << 53

func checkRule(m *config.Metric, v float64, raw string) (float64, error) {
	if math.Abs(v) > maxExact {
		return 0, fmt.Errorf("%g is too large: at most %d", v, int64(maxExact))
	}
	if m == nil || m.Unit == "count" { // a step
		switch {
		case strings.Contains(raw, "%"):
			return 0, errors.New("a count cannot be a percentage: expected a whole number")
		case v < 0:
			return 0, errors.New("a count cannot be negative")
		case v != math.Trunc(v):
			return 0, errors.New("a count must be a whole number")
		}
		return v, nil
	}
	if m.Unit == "percent" && !strings.Contains(raw, "%") && v > 1 {
		v /= 100
	}
	return v, nil
}
