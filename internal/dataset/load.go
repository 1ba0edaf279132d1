package dataset

import (
	"errors"
	"fmt"
	"github.com/funnel-report/funnel/internal/csvio"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
)

// DataDir is the folder of input files inside a project.
const DataDir = "data"

// Load reads every source of the project into one finalized Table. All
// problems found (up to MaxErrors) are returned together as an *ErrorList.
func Load(fsys fs.FS, cfg *config.Config) (*Table, error) {
	return LoadWith(fsys, cfg, Options{})
}

// LoadWith is Load with options for database sources.
func LoadWith(fsys fs.FS, cfg *config.Config, o Options) (*Table, error) {
	t, err := ingestWith(fsys, cfg, o)
	if err != nil {
		return nil, err
	}
	t.Finalize(func(m string) bool { return IsAdditive(cfg, m) })
	return t, nil
}

// ingest reads every source into a table, not yet finalized.
func ingest(fsys fs.FS, cfg *config.Config) (*Table, error) {
	return ingestWith(fsys, cfg, Options{})
}

func ingestWith(fsys fs.FS, cfg *config.Config, o Options) (*Table, error) {
	if st, err := fs.Stat(fsys, DataDir); (err != nil || !st.IsDir()) && readsFiles(cfg) {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no data folder: put CSV files in data/")}
	}
	inputs, err := resolveSources(fsys, cfg)
	if err != nil {
		return nil, err
	}
	t := NewTable(cfg.Segments)
	var errs ErrorList
	var lc *leadCounter // of the records or events source being read
	for _, in := range inputs {
		if errs.Full() {
			break
		}
		if in.first && in.src.Kind != "snapshot" {
			if lc, err = newLeadCounter(cfg, in.src, t, &errs); err != nil {
				errs.Add(err)
				continue
			}
		}
		load := loadSource
		if in.src.IsDatabase() || in.src.IsWorkbook() {
			load = func(fsys fs.FS, cfg *config.Config, src config.Source, t *Table, errs *ErrorList, lc *leadCounter) error {
				return loadRowSource(fsys, cfg, src, t, errs, lc, o)
			}
		}
		if err := load(fsys, cfg, in.src, t, &errs, lc); err != nil {
			errs.Add(err)
		}
		if in.last && lc != nil {
			if errs.Err() == nil {
				lc.finish()
			}
			lc = nil
		}
	}
	t.locate(&errs)
	t.locate(&t.Warnings)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(t.Periods) == 0 {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no data rows in any file")}
	}
	if err := checkPeriodKinds(t); err != nil {
		return nil, err
	}
	return t, nil
}

// readsFiles reports whether any source is a file under the project (a
// project whose every source is a database needs no data/ folder).
func readsFiles(cfg *config.Config) bool {
	for _, s := range cfg.Sources {
		if !s.IsDatabase() {
			return true
		}
	}
	return len(cfg.Sources) == 0
}

// IsAdditive reports whether a metric may be summed over segments: steps
// and count metrics.
func IsAdditive(cfg *config.Config, metric string) bool {
	if m := cfg.Metric(metric); m != nil {
		return m.Unit == "count"
	}
	return true // a step, or an unconfigured metric (a step by default)
}

// input is one file to read: a configured source with Path set to one
// of the files its glob matches. The files of one records or events
// source are counted together (first and last mark the group).
type input struct {
	src         config.Source
	first, last bool
}

// resolveSources expands the configured globs, or takes every CSV under
// data/ as a snapshot, in lexical order so merges are deterministic.
func resolveSources(fsys fs.FS, cfg *config.Config) ([]input, error) {
	if len(cfg.Sources) > 0 {
		var out []input
		for i, s := range cfg.Sources {
			if s.IsDatabase() {
				out = append(out, input{s, true, true})
				continue
			}
			if p := path.Clean(filepath.ToSlash(s.Path)); filepath.IsAbs(s.Path) || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") || filepath.VolumeName(s.Path) != "" {
				return nil, fmt.Errorf("%s: source %q is outside the project: sources are paths inside the project folder, like data/leads.csv", cfg.At("sources", i, "path"), s.Path)
			}
			matches, err := fs.Glob(fsys, path.Clean(filepath.ToSlash(s.Path)))
			if err != nil {
				return nil, fmt.Errorf("%s: source %q: %w", cfg.File, s.Path, err)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("%s: source %q matches no file", cfg.At("sources", i, "path"), s.Path)
			}
			for i, m := range matches {
				c := s
				c.Path = m
				out = append(out, input{c, i == 0, i == len(matches)-1})
			}
		}
		return out, nil
	}
	var out []input
	err := fs.WalkDir(fsys, DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".csv") && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, input{config.Source{Path: p, Kind: "snapshot"}, true, true})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].src.Path < out[j].src.Path })
	if len(out) == 0 {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no .csv files")}
	}
	return out, nil
}

// loadSource reads one file; records and events go into lc.
func loadSource(fsys fs.FS, cfg *config.Config, src config.Source, t *Table, errs *ErrorList, lc *leadCounter) error {
	f, err := fsys.Open(src.Path)
	if err != nil {
		return &ParseError{File: src.Path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	t.Files++
	var size int64
	if st, serr := f.Stat(); serr == nil {
		size = st.Size()
	}
	d, err := sourceDialect(src)
	if err != nil {
		return err
	}
	switch src.Kind {
	case "records":
		if lc == nil {
			return nil // its lead counter failed: already reported
		}
		return loadRecords(fsys, cfg, src, d, f, lc)
	case "events":
		if lc == nil {
			return nil
		}
		return loadEvents(cfg, src, d, f, lc)
	default:
		return loadSnapshot(src.Path, f, size, d, cfg, t, errs)
	}
}

// sourceDialect reads a source's configured encoding and delimiter.
func sourceDialect(src config.Source) (csvio.Dialect, error) {
	var d csvio.Dialect
	var err error
	if d.Encoding, err = csvio.EncodingName(src.Encoding); err != nil {
		return d, &ParseError{File: src.Path, Err: err}
	}
	if d.Delim, err = csvio.DelimiterName(src.Delimiter); err != nil {
		return d, &ParseError{File: src.Path, Err: err}
	}
	return d, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	if errors.Is(err, os.ErrNotExist) {
		return os.ErrNotExist
	}
	return err
}

// reserved columns of a snapshot that are neither segments nor metrics.
var reserved = map[string]bool{"period": true, "metric": true, "value": true, "stage": true, "note": true}

// rowsDecoder feeds gocsv rows we already read (the event-log path maps
// chunks of them), so that we keep the physical line of each row for
// error messages.
type rowsDecoder struct{ rows [][]string }

func (d rowsDecoder) GetCSVRows() ([][]string, error) { return d.rows, nil }

func (d rowsDecoder) GetCSVRow() ([]string, error) {
	return nil, errors.New("rowsDecoder: row-at-a-time reading is not supported")
}

// loadSnapshot reads a snapshot file. The long form is streamed; the wide
// form is held in memory when its segment columns must be told from its
// metric columns by their values.
func loadSnapshot(name string, in io.Reader, size int64, d csvio.Dialect, cfg *config.Config, t *Table, errs *ErrorList) error {
	f, err := csvio.Open(name, in, d)
	if err != nil {
		return err
	}
	if f.Column("period") < 0 {
		return &ParseError{File: name, Line: 1, Err: errNoPeriod}
	}
	if f.Column("metric") >= 0 && f.Column("value") >= 0 {
		t.grow(f.EstimateRows(size))
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
	return loadWide(f, it, size, cfg, t, errs)
}

// metricRule is what the config says about one metric id, looked up once
// per id instead of once per row.
type metricRule struct {
	known bool
	m     *config.Metric
	id    int32 // interned in the table
	bad   error // the name is no label (checkLabel)
}

// loadLong streams a long-form snapshot with encoding/csv. It used gocsv
// (rows mapped into a struct through a Decoder adapter) until
// BenchmarkSnapshotIngest showed gocsv's mapping alone costing more than
// the whole 2× budget docs/design.md §7 allows over plain encoding/csv + strconv:
// three fixed columns gain nothing from struct mapping.
func loadLong(f *csvio.File, cfg *config.Config, t *Table, errs *ErrorList) error {
	var periods periodChecker
	var segCols, segDims []int
	for i, h := range f.Header {
		if !reserved[strings.ToLower(h)] && isSegment(cfg, h) {
			segCols = append(segCols, i)
			segDims = append(segDims, t.AddDim(h))
		}
	}
	periodCol, metricCol, valueCol := f.Column("period"), f.Column("metric"), f.Column("value")
	rules := map[string]metricRule{}
	vals := make([]string, len(t.Dims))
	rows := 0
	for !errs.Full() {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rows++
		period, metric, raw := strings.TrimSpace(rec[periodCol]), strings.TrimSpace(rec[metricCol]), rec[valueCol]
		rule, ok := rules[metric]
		if !ok {
			rule = metricRule{knownMetric(cfg, metric), cfg.Metric(metric), -1, checkLabel(metric)}
			if rule.known && rule.bad == nil && metric != "" {
				rule.id = t.name(metric)
			}
			rules[strings.Clone(metric)] = rule
		}
		if period == "" {
			errs.Add(f.CellError(periodCol, "", errors.New("empty period")))
			continue
		}
		period, err = periods.check(period, f.Line)
		switch {
		case err != nil:
			errs.Add(f.CellError(periodCol, rec[periodCol], err))
			continue
		case metric == "":
			errs.Add(f.CellError(metricCol, "", errors.New("empty metric")))
			continue
		case rule.bad != nil:
			errs.Add(f.CellError(metricCol, metric, rule.bad))
			continue
		case !rule.known:
			errs.Add(f.CellError(metricCol, metric, unknownMetric(cfg)))
			continue
		}
		v, err := csvio.ParseNumber(raw)
		if err == csvio.ErrEmpty {
			continue // not measured
		}
		if err != nil {
			errs.Add(f.CellError(valueCol, raw, fmt.Errorf("%w: expected a number like 1234.5, 1 234,5 or 18%%", csvio.ErrNotNumber)))
			continue
		}
		if v, err = checkRule(rule.m, v, raw); err != nil {
			errs.Add(f.CellError(valueCol, raw, err))
			continue
		}
		if c, err := segmentValues(segCols, segDims, rec, vals); err != nil {
			errs.Add(f.CellError(c, rec[c], err))
			continue
		}
		if err := t.addID(period, vals, rule.id, v, Pos{f.Name, f.Line}); err != nil {
			errs.Add(err)
		}
	}
	t.Rows += rows
	if rows == 0 && errs.Err() == nil {
		return &ParseError{File: f.Name, Line: 1, Err: errNoData}
	}
	return nil
}

func loadWide(f *csvio.File, it *csvio.Rows, size int64, cfg *config.Config, t *Table, errs *ErrorList) error {
	var periods periodChecker
	periodCol := f.Column("period")
	var segCols, segDims, metricCols []int
	for i, h := range f.Header {
		switch {
		case i == periodCol || reserved[strings.ToLower(h)]:
		case isSegmentColumn(cfg, h, it.Held(), i):
			segCols = append(segCols, i)
			segDims = append(segDims, t.AddDim(h))
		default:
			metricCols = append(metricCols, i)
		}
	}
	if len(metricCols) == 0 {
		return &ParseError{File: f.Name, Line: 1, Err: errNoMetric}
	}
	rules := make([]metricRule, len(metricCols))
	for j, c := range metricCols {
		if err := checkLabel(f.Header[c]); err != nil {
			return f.HeaderError(c, err)
		}
		if !knownMetric(cfg, f.Header[c]) {
			return f.HeaderError(c, unknownMetric(cfg))
		}
		rules[j] = metricRule{true, cfg.Metric(f.Header[c]), t.name(f.Header[c]), nil}
	}
	t.grow(f.EstimateRows(size) * len(metricCols))
	vals := make([]string, len(t.Dims))
	rows := 0
	for !errs.Full() {
		rec, line, err := it.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rows++
		f.Line = line
		period := strings.TrimSpace(rec[periodCol])
		if period == "" {
			errs.Add(f.CellError(periodCol, "", errors.New("empty period")))
			continue
		}
		period, err = periods.check(period, f.Line)
		if err != nil {
			errs.Add(f.CellError(periodCol, rec[periodCol], err))
			continue
		}
		if c, err := segmentValues(segCols, segDims, rec, vals); err != nil {
			errs.Add(f.CellError(c, rec[c], err))
			continue
		}
		pid, tid := t.period(period), t.tuple(vals)
		slots := t.rowSlots(pid, tid)
		for j, c := range metricCols {
			raw := rec[c]
			v, err := csvio.ParseNumber(raw)
			if err == csvio.ErrEmpty {
				continue
			}
			if err == nil {
				v, err = checkRule(rules[j].m, v, raw)
			} else {
				err = fmt.Errorf("%w: expected a number like 1234.5, 1 234,5 or 18%%", csvio.ErrNotNumber)
			}
			if err != nil {
				errs.Add(f.CellError(c, raw, err))
				continue
			}
			m := rules[j].id
			if err := t.addInRow(&slots[m], obsKey{pid, tid, m}, v, Pos{f.Name, f.Line}); err != nil {
				errs.Add(err)
			}
		}
	}
	t.Rows += rows
	if rows == 0 && errs.Err() == nil {
		return &ParseError{File: f.Name, Line: 1, Err: errNoData}
	}
	return nil
}

// segmentValues reads a row's segment cells into vals; on a bad label it
// returns the column at fault.
func segmentValues(segCols, segDims []int, rec []string, vals []string) (int, error) {
	for j, c := range segCols {
		v := strings.TrimSpace(rec[c])
		if err := checkLabel(v); err != nil {
			return c, err
		}
		vals[segDims[j]] = v
	}
	return 0, nil
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
