package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/db"
	"github.com/funnel-report/funnel/internal/sources/xlsx"
)

// Options say how Load reaches sources that are not files under data/.
type Options struct {
	// Dir is the project folder on disk, for the query cache
	// (.funnel-cache/); "" keeps no cache.
	Dir string
	// UseCache answers a database source from .funnel-cache/ when the
	// same query (same text, parameters and server) was answered before;
	// serve sets it, build and check always query.
	UseCache bool
	// Context bounds database queries (each also has its own timeout).
	Context context.Context
}

// rowInput hands a workbook or query result to the CSV loaders through
// their io.Reader parameter: openCSV recognises it and reads its rows
// instead of bytes, so every source goes through the same row validation.
type rowInput struct{ sources.Rows }

func (rowInput) Read([]byte) (int, error) {
	return 0, errors.New("a row source is read by rows, not bytes")
}

// openRows is openCSV for a row source.
func openRows(name string, rows sources.Rows) (*csvFile, error) {
	f := &csvFile{name: name, rows: rows, Encoding: "utf-8"}
	header := rows.Header()
	if len(header) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no column names: expected a header row")}
	}
	f.header = make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		f.header[i] = h
		if h == "" {
			return nil, rows.Locate(1, i).At(fmt.Errorf("column %d has no name", i+1))
		}
		if seen[h] {
			e := rows.Locate(1, i).At(errors.New("column name used twice"))
			e.Column = h
			return nil, e
		}
		seen[h] = true
	}
	return f, nil
}

// nextRow is next for a row source: blank rows are skipped, cells must be
// valid UTF-8 (a database may hold anything).
func (f *csvFile) nextRow() ([]string, error) {
	for {
		rec, line, err := f.rows.Next()
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, f.rows.Locate(0, -1).At(err)
		}
		f.line = line
		if blank(rec) {
			continue
		}
		if len(rec) != len(f.header) {
			return nil, &ParseError{File: f.name, Line: line, Err: fmt.Errorf("row has %d fields, header has %d", len(rec), len(f.header))}
		}
		for i, v := range rec {
			if !utf8.ValidString(v) {
				return nil, f.cellError(i, strings.ToValidUTF8(v, "\uFFFD"), errors.New("invalid UTF-8"))
			}
		}
		return rec, nil
	}
}

// loadRowSource reads a workbook or a database source through the loader
// of its kind (push-down sources arrive as aggregates instead).
func loadRowSource(fsys fs.FS, cfg *config.Config, src config.Source, t *Table, errs *ErrorList, lc *leadCounter, o Options) error {
	var rows sources.Rows
	var name string
	switch {
	case src.IsWorkbook():
		f, err := fsys.Open(src.Path)
		if err != nil {
			return &ParseError{File: src.Path, Err: unwrapPathError(err)}
		}
		defer f.Close()
		r, err := xlsx.Open(src.Path, f, src.Sheet, src.HeaderRow)
		if err != nil {
			return err
		}
		defer r.Close()
		rows = r
		name = r.Locate(0, -1).String()
	case src.Table != "":
		if lc == nil {
			return nil // its lead counter failed: already reported
		}
		agg, st, err := db.PushDown(o.context(), fsys, o.Dir, src, pushDownSpec(cfg, src, lc), o.UseCache)
		if err != nil {
			return err
		}
		t.Fetched = append(t.Fetched, st)
		t.Files++
		return lc.addAggregate(agg)
	default:
		res, st, err := db.Query(o.context(), fsys, o.Dir, src, o.UseCache)
		if err != nil {
			return err
		}
		t.Fetched = append(t.Fetched, st)
		rows = res.Cursor()
		name = rows.Locate(0, -1).String()
	}
	if t.where == nil {
		t.where = map[string]sources.Rows{}
	}
	t.where[name] = rows
	t.Files++
	src.Path = name
	in := rowInput{rows}
	switch src.Kind {
	case "records":
		if lc == nil {
			return nil
		}
		return loadRecords(fsys, cfg, src, dialect{}, in, lc)
	case "events":
		if lc == nil {
			return nil
		}
		return loadEvents(cfg, src, dialect{}, in, lc)
	default:
		return loadSnapshot(name, in, 0, dialect{}, cfg, t, errs)
	}
}

func (o Options) context() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

// locate rewrites the positions of errors from row sources into their
// own kind of place (a workbook cell, a source's row).
func (t *Table) locate(list *ErrorList) {
	if len(t.where) == 0 {
		return
	}
	for _, e := range list.Errs {
		var pe *ParseError
		if !errors.As(e, &pe) || pe.Sheet != "" || pe.Source != "" {
			continue
		}
		rows, ok := t.where[pe.File]
		if !ok {
			continue
		}
		col := -1
		for i, h := range rows.Header() {
			if pe.Column != "" && strings.EqualFold(strings.TrimSpace(h), pe.Column) {
				col = i
				break
			}
		}
		pe.SetLoc(rows.Locate(pe.Line, col))
	}
}
