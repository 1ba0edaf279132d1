package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/funnel-report/funnel/internal/config"
)

// DataDir is the folder of input files inside a project.
const DataDir = "data"

// Load reads every source of the project into one finalized Table. All
// problems found (up to MaxErrors) are returned together as an *ErrorList.
func Load(fsys fs.FS, cfg *config.Config) (*Table, error) {
	if st, err := fs.Stat(fsys, DataDir); err != nil || !st.IsDir() {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no data folder: put CSV files in data/")}
	}
	sources, err := resolveSources(fsys, cfg)
	if err != nil {
		return nil, err
	}
	t := NewTable(cfg.Segments)
	var errs ErrorList
	for _, src := range sources {
		if errs.Full() {
			break
		}
		if err := loadSource(fsys, cfg, src, t, &errs); err != nil {
			errs.Add(err)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(t.Periods) == 0 {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no data rows in any file")}
	}
	t.Finalize(func(m string) bool { return IsAdditive(cfg, m) })
	return t, nil
}

// IsAdditive reports whether a metric may be summed over segments: steps
// and count metrics.
func IsAdditive(cfg *config.Config, metric string) bool {
	if m := cfg.Metric(metric); m != nil {
		return m.Unit == "count"
	}
	return true // a step, or an unconfigured metric (a step by default)
}

// resolveSources expands the configured globs, or takes every CSV under
// data/ as a snapshot, in lexical order so merges are deterministic.
func resolveSources(fsys fs.FS, cfg *config.Config) ([]config.Source, error) {
	if len(cfg.Sources) > 0 {
		var out []config.Source
		for _, s := range cfg.Sources {
			matches, err := fs.Glob(fsys, path.Clean(filepath.ToSlash(s.Path)))
			if err != nil {
				return nil, fmt.Errorf("%s: source %q: %w", cfg.File, s.Path, err)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("%s: source %q matches no file", cfg.File, s.Path)
			}
			for _, m := range matches {
				c := s
				c.Path = m
				out = append(out, c)
			}
		}
		return out, nil
	}
	var out []config.Source
	err := fs.WalkDir(fsys, DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".csv") && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, config.Source{Path: p, Kind: "snapshot"})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	if len(out) == 0 {
		return nil, &ParseError{File: DataDir + "/", Err: errors.New("no .csv files")}
	}
	return out, nil
}

func loadSource(fsys fs.FS, cfg *config.Config, src config.Source, t *Table, errs *ErrorList) error {
	f, err := fsys.Open(src.Path)
	if err != nil {
		return &ParseError{File: src.Path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	t.Files++
	switch src.Kind {
	case "snapshot":
		return loadSnapshot(src.Path, f, cfg, t, errs)
	default:
		return &ParseError{File: src.Path, Err: fmt.Errorf("source kind %q is not supported yet", src.Kind)}
	}
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

// longRow is the fixed part of a long-form snapshot row, mapped by gocsv.
// Segment columns vary per project and are read from the raw record.
type longRow struct {
	Period string `csv:"period"`
	Metric string `csv:"metric"`
	Value  Number `csv:"value"`
}

// rowsDecoder feeds gocsv the rows we already read, so that we keep the
// physical line of each row for error messages.
type rowsDecoder struct{ rows [][]string }

func (d rowsDecoder) GetCSVRows() ([][]string, error) { return d.rows, nil }

func loadSnapshot(name string, in io.Reader, cfg *config.Config, t *Table, errs *ErrorList) error {
	f, err := openCSV(name, in, delimiterOf(cfg, name))
	if err != nil {
		return err
	}
	if f.column("period") < 0 {
		return &ParseError{File: name, Line: 1, Err: errNoPeriod}
	}
	var rows [][]string
	var lines []int
	for {
		rec, err := f.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rows = append(rows, append([]string(nil), rec...))
		lines = append(lines, f.line)
	}
	t.Rows += len(rows)
	if len(rows) == 0 {
		return &ParseError{File: name, Line: 1, Err: errNoData}
	}
	if f.column("metric") >= 0 && f.column("value") >= 0 {
		return loadLong(f, rows, lines, cfg, t, errs)
	}
	return loadWide(f, rows, lines, cfg, t, errs)
}

func delimiterOf(cfg *config.Config, file string) rune {
	for _, s := range cfg.Sources {
		if s.Path == file && s.Delimiter != "" {
			if s.Delimiter == `\t` {
				return '\t'
			}
			return []rune(s.Delimiter)[0]
		}
	}
	return 0
}

func loadLong(f *csvFile, rows [][]string, lines []int, cfg *config.Config, t *Table, errs *ErrorList) error {
	header := make([]string, len(f.header))
	var segCols []int
	for i, h := range f.header {
		header[i] = strings.ToLower(h)
		if !reserved[header[i]] && isSegment(cfg, h) {
			segCols = append(segCols, i)
			t.AddDim(h)
		}
	}
	var parsed []longRow
	if err := gocsv.UnmarshalDecoder(rowsDecoder{append([][]string{header}, rows...)}, &parsed); err != nil {
		return &ParseError{File: f.name, Err: err}
	}
	periodCol, metricCol, valueCol := f.column("period"), f.column("metric"), f.column("value")
	for i, r := range parsed {
		if errs.Full() {
			break
		}
		f.line = lines[i]
		period, metric := strings.TrimSpace(r.Period), strings.TrimSpace(r.Metric)
		switch {
		case period == "":
			errs.Add(f.cellError(periodCol, "", errors.New("empty period")))
			continue
		case metric == "":
			errs.Add(f.cellError(metricCol, "", errors.New("empty metric")))
			continue
		case !knownMetric(cfg, metric):
			errs.Add(f.cellError(metricCol, metric, unknownMetric(cfg)))
			continue
		case r.Value.Err == errEmptyValue:
			continue // not measured
		case r.Value.Err != nil:
			errs.Add(f.cellError(valueCol, r.Value.Raw, r.Value.Err))
			continue
		}
		v, err := checkValue(cfg, metric, r.Value.V, r.Value.Raw)
		if err != nil {
			errs.Add(f.cellError(valueCol, r.Value.Raw, err))
			continue
		}
		seg := map[string]string{}
		for _, c := range segCols {
			seg[f.header[c]] = strings.TrimSpace(rows[i][c])
		}
		if err := t.Add(period, seg, metric, v, Pos{f.name, f.line}); err != nil {
			errs.Add(err)
		}
	}
	return nil
}

func loadWide(f *csvFile, rows [][]string, lines []int, cfg *config.Config, t *Table, errs *ErrorList) error {
	periodCol := f.column("period")
	var segCols, metricCols []int
	for i, h := range f.header {
		switch {
		case i == periodCol || reserved[strings.ToLower(h)]:
		case isSegmentColumn(cfg, h, rows, i):
			segCols = append(segCols, i)
			t.AddDim(h)
		default:
			metricCols = append(metricCols, i)
		}
	}
	if len(metricCols) == 0 {
		return &ParseError{File: f.name, Line: 1, Err: errNoMetric}
	}
	for _, c := range metricCols {
		if !knownMetric(cfg, f.header[c]) {
			return &ParseError{File: f.name, Line: 1, Column: f.header[c], Err: unknownMetric(cfg)}
		}
	}
	for i, rec := range rows {
		f.line = lines[i]
		period := strings.TrimSpace(rec[periodCol])
		if period == "" {
			errs.Add(f.cellError(periodCol, "", errors.New("empty period")))
			continue
		}
		seg := map[string]string{}
		for _, c := range segCols {
			seg[f.header[c]] = strings.TrimSpace(rec[c])
		}
		for _, c := range metricCols {
			if errs.Full() {
				return nil
			}
			raw := rec[c]
			v, err := ParseNumber(raw)
			if err == errEmptyValue {
				continue
			}
			if err == nil {
				v, err = checkValue(cfg, f.header[c], v, raw)
			} else {
				err = fmt.Errorf("%w: expected a number like 1234.5, 1 234,5 or 18%%", errNotNumber)
			}
			if err != nil {
				errs.Add(f.cellError(c, raw, err))
				continue
			}
			if err := t.Add(period, seg, f.header[c], v, Pos{f.name, f.line}); err != nil {
				errs.Add(err)
			}
		}
	}
	return nil
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
// metrics win; otherwise a column with any non-numeric value is a segment.
func isSegmentColumn(cfg *config.Config, col string, rows [][]string, i int) bool {
	if len(cfg.Segments) > 0 {
		return isSegment(cfg, col)
	}
	if cfg.StepIndex(col) >= 0 || cfg.Metric(col) != nil {
		return false
	}
	for _, r := range rows {
		if s := strings.TrimSpace(r[i]); s != "" {
			if _, err := ParseNumber(s); err != nil {
				return true
			}
		}
	}
	return false
}

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

// checkValue validates a value against its metric's unit and normalises
// percents to fractions (a bare 18 for a percent metric means 18%).
func checkValue(cfg *config.Config, metric string, v float64, raw string) (float64, error) {
	m := cfg.Metric(metric)
	if m == nil || m.Unit == "count" { // a step
		if v < 0 {
			return 0, errors.New("a count cannot be negative")
		}
		return v, nil
	}
	if m.Unit == "percent" && !strings.Contains(raw, "%") && v > 1 {
		v /= 100
	}
	return v, nil
}
