package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
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
		return loadSnapshot(src.Path, f, d, cfg, t, errs)
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
