package csvio

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/errpos"
	"github.com/funnel-report/funnel/internal/sources"
)

// RowInput hands a workbook or query result to the CSV loaders through
// their io.Reader parameter: Open recognises it and reads its rows
// instead of bytes, so every source goes through the same row validation.
type RowInput struct{ sources.Rows }

func (RowInput) Read([]byte) (int, error) {
	return 0, errors.New("a row source is read by rows, not bytes")
}

// openRows is Open for a row source.
func openRows(name string, rows sources.Rows) (*File, error) {
	f := &File{Name: name, rows: rows, Encoding: "utf-8"}
	header := rows.Header()
	if len(header) == 0 {
		return nil, &errpos.Error{File: name, Err: errors.New("no column names: expected a header row")}
	}
	f.Header = make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		f.Header[i] = h
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
func (f *File) nextRow() ([]string, error) {
	for {
		rec, line, err := f.rows.Next()
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil {
			var pe *errpos.Error
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, f.rows.Locate(0, -1).At(err)
		}
		f.Line = line
		if blank(rec) {
			continue
		}
		if len(rec) != len(f.Header) {
			return nil, &errpos.Error{File: f.Name, Line: line, Err: fmt.Errorf("row has %d fields, header has %d", len(rec), len(f.Header))}
		}
		for i, v := range rec {
			if !utf8.ValidString(v) {
				return nil, f.CellError(i, strings.ToValidUTF8(v, "\uFFFD"), errors.New("invalid UTF-8"))
			}
		}
		return rec, nil
	}
}
