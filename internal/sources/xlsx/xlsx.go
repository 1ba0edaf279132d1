// Package xlsx reads one worksheet of an Excel workbook as rows of text,
// the way the CSV loaders read a file: numbers written with a dot, dates
// stored as serials turned into ISO dates (both the 1900 and the 1904 date
// systems), everything else as the cell's text. It uses excelize, the
// maintained pure-Go reader of the format.
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/funnel-report/funnel/internal/errpos"
	"github.com/xuri/excelize/v2"
)

// Reader streams the rows of one sheet below its header row.
type Reader struct {
	name, sheet string
	f           *excelize.File
	rows        *excelize.Rows
	header      []string
	row         int // sheet row of the last row read
	date1904    bool
	styles      map[int]cellKind
}

// Open reads the workbook from in (name is its project path, for
// messages), picks sheet ("" = the first) and reads the column names from
// headerRow (1-based; 0 = 1). Rows above the header (merged titles) are
// skipped.
func Open(name string, in io.Reader, sheet string, headerRow int) (*Reader, error) {
	f, err := excelize.OpenReader(in)
	if err != nil {
		return nil, &errpos.Error{File: name, Err: fmt.Errorf("not a readable .xlsx workbook: %w", err)}
	}
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, errpos.New(name, 0, 0, "the workbook has no sheets")
		}
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, errpos.New(name, 0, 0, "no sheet %q (the workbook has %s)", sheet, quote(sheets))
	}
	r := &Reader{name: path.Clean(name), sheet: sheet, f: f, styles: map[int]cellKind{}}
	if p, perr := f.GetWorkbookProps(); perr == nil && p.Date1904 != nil {
		r.date1904 = *p.Date1904
	}
	if r.rows, err = f.Rows(sheet); err != nil {
		return nil, r.Locate(0, -1).At(err)
	}
	if headerRow <= 0 {
		headerRow = 1
	}
	for r.row < headerRow {
		if !r.rows.Next() {
			return nil, r.Locate(0, -1).At(fmt.Errorf("no header row %d: the sheet has %d rows", headerRow, r.row))
		}
		r.row++
	}
	cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, r.Locate(r.row, -1).At(err)
	}
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	r.header = cells
	return r, nil
}

// Header implements sources.Rows.
func (r *Reader) Header() []string { return r.header }

// Next implements sources.Rows: the next row below the header, with date
// cells as ISO dates and as many cells as the header has. A filled cell
// right of the header is an error: it has no column name.
func (r *Reader) Next() ([]string, int, error) {
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return nil, 0, r.Locate(r.row+1, -1).At(err)
		}
		return nil, 0, io.EOF
	}
	r.row++
	cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, r.Locate(r.row, -1).At(err)
	}
	for i := len(r.header); i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			return nil, 0, &errpos.Error{File: r.name, Sheet: r.sheet, Line: r.row, Col: i + 1, Value: cells[i], Err: errors.New("a value right of the last named column")}
		}
	}
	rec := make([]string, len(r.header))
	copy(rec, cells)
	for i, v := range rec {
		if v == "" {
			continue
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			continue // text: read as the CSV loaders read text
		}
		kind, err := r.kind(i)
		if err != nil {
			return nil, 0, r.Locate(r.row, i).At(err)
		}
		if kind == plain {
			continue
		}
		iso, err := Serial(v, r.date1904, kind == dateTime)
		if err != nil {
			return nil, 0, r.Locate(r.row, i).At(err)
		}
		rec[i] = iso
	}
	return rec, r.row, nil
}

// Locate implements sources.Rows: the cell (or row, or sheet) of the
// workbook, printed "data/x.xlsx[Sheet]!C12".
func (r *Reader) Locate(line, col int) errpos.Loc {
	return errpos.Loc{File: r.name, Sheet: r.sheet, Line: max(line, 0), Col: max(col+1, 0)}
}

// Close releases the workbook's temporary files.
func (r *Reader) Close() error {
	if r.rows != nil {
		_ = r.rows.Close()
	}
	return r.f.Close()
}

type cellKind uint8

const (
	plain cellKind = iota
	dateOnly
	dateTime
)

// kind tells from a cell's number format whether its number is a date.
func (r *Reader) kind(col int) (cellKind, error) {
	cell, err := excelize.CoordinatesToCellName(col+1, r.row)
	if err != nil {
		return plain, err
	}
	id, err := r.f.GetCellStyle(r.sheet, cell)
	if err != nil {
		return plain, err
	}
	if k, ok := r.styles[id]; ok {
		return k, nil
	}
	st, err := r.f.GetStyle(id)
	k := plain
	if err == nil {
		k = formatKind(st.NumFmt, st.CustomNumFmt)
	}
	r.styles[id] = k
	return k, nil
}

// formatKind classifies a number format: Excel's built-in date formats
// (14–17, 22, 27–36, 50–58) and custom ones with day, month or year codes
// outside quotes, brackets and escapes. Time-only formats stay numbers.
func formatKind(id int, custom *string) cellKind {
	if custom != nil && *custom != "" {
		f := stripLiterals(strings.ToLower(*custom))
		date := strings.ContainsAny(f, "dy") || (strings.Contains(f, "m") && !strings.ContainsAny(f, "hs:"))
		switch {
		case !date:
			return plain
		case strings.ContainsAny(f, "hs"):
			return dateTime
		}
		return dateOnly
	}
	switch {
	case id == 22:
		return dateTime
	case id >= 14 && id <= 17, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return dateOnly
	}
	return plain
}

// stripLiterals drops quoted text, [bracketed] codes (colours, locales,
// elapsed time) and backslash-escaped characters from a number format.
func stripLiterals(f string) string {
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case quoted:
			quoted = c != '"'
		case bracket:
			bracket = c != ']'
		case c == '"':
			quoted = true
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal (or padding)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Serial turns an Excel date serial into an ISO date ("2024-03-05"), or
// date and time ("2024-03-05 14:30:00") when withTime and the serial has
// a fraction. In the 1900 system serial 1 is 1900-01-01 and serial 60 is
// 29 February 1900, a day that never was (Lotus 1-2-3's leap-year bug,
// kept by Excel); serials after it are a day late. Serial 60 (and 0, the
// "0 January 1900" of empty dates) come out as the impossible
// "1900-02-29" ("1900-01-00"), which the date check then reports with the
// cell's name, among the file's other problems. In the 1904 system serial
// 0 is 1904-01-01.
func Serial(v string, date1904, withTime bool) (string, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > 2958465 { // 9999-12-31
		return "", fmt.Errorf("not an Excel date serial (value %q)", v)
	}
	days := math.Floor(x)
	secs := int64(math.Round((x - days) * 86400))
	if secs == 86400 {
		days, secs = days+1, 0
	}
	var unixDay int64
	switch {
	case date1904:
		unixDay = int64(days) - 24107 // 1904-01-01 is day -24107
	case days == 60:
		return "1900-02-29", nil
	case days == 0:
		return "1900-01-00", nil
	case days < 60:
		unixDay = int64(days) - 25568 // serial 1 = 1900-01-01
	default:
		unixDay = int64(days) - 25569 // serial 61 = 1900-03-01
	}
	t := unixEpochDay(unixDay).Add(secondsDuration(secs))
	if withTime && secs != 0 {
		return t.Format("2006-01-02 15:04:05"), nil
	}
	return t.Format("2006-01-02"), nil
}

func quote(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
