package csvio

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/errpos"
	"github.com/funnel-report/funnel/internal/sources"
)

// File reads one CSV file row by row and knows, for every row, the
// physical line it started on (quoted newlines make rows and lines differ).
type File struct {
	Name   string
	Header []string
	Line   int // line of the current row
	r      *splitter
	fields int // fields of the CSV reader's last record
	// held are the field positions of a row read ahead and replayed
	// (Rows), which starts on heldLine.
	held     []FieldPlace
	heldLine int
	// headerCols are the byte columns of the header's names (nil for a
	// workbook or query result).
	headerCols []int

	Encoding  string // "utf-8", "utf-16le", "utf-16be", "windows-1251" or "windows-1252", as read
	Delimiter rune
	offset    int          // lines before the header the CSV reader did not see (sep=;)
	rows      sources.Rows // a workbook or query result instead of CSV text
	// utf8 watches the bytes of a UTF-8 file as the CSV reader takes
	// them; nil for other encodings.
	utf8 *utf8Watch
}

// Open strips a BOM, decodes Windows-1251 (configured, or detected when
// the first 64 KB are not valid UTF-8), sniffs the delimiter (unless set)
// from the first line and reads the header. It fails on an empty file.
func Open(name string, in io.Reader, d Dialect) (*File, error) {
	if ri, ok := in.(RowInput); ok {
		return openRows(name, ri.Rows)
	}
	br, enc, err := decode(bufio.NewReaderSize(in, 64<<10), d.Encoding)
	if err != nil {
		return nil, &errpos.Error{File: name, Err: err}
	}
	delim := d.Delim
	offset := 0
	if sep, n := excelSepLine(br); n > 0 {
		// Excel's "sep=;" first line names the delimiter; it is not a header.
		_, _ = br.Discard(n)
		offset = 1
		if delim == 0 {
			delim = sep
		}
	}
	head, _ := br.Peek(16 << 10)
	if delim == 0 {
		delim = sniffDelimiter(head)
	}
	var watch *utf8Watch
	if enc == "utf-8" {
		watch = &utf8Watch{r: br}
	}
	// Any number of fields per record: checked here, with a better message.
	r := newSplitter(br, watch, delim)
	f := &File{Name: name, r: r, Encoding: enc, Delimiter: delim, offset: offset, utf8: watch}
	if err := f.readHeader(); err != nil {
		return nil, err
	}
	return f, nil
}

// readHeader reads the first row as column names: each named, valid
// UTF-8, and used once.
func (f *File) readHeader() error {
	rec, err := f.r.Read()
	if errors.Is(err, io.EOF) {
		return &errpos.Error{File: f.Name, Err: ErrEmptyFile}
	}
	if err != nil {
		return f.wrap(err)
	}
	f.Header = make([]string, len(rec))
	f.headerCols = make([]int, len(rec))
	for i, h := range rec {
		f.Header[i] = strings.TrimSpace(h)
		_, f.headerCols[i] = f.r.FieldPos(i)
	}
	line := 1 + f.offset
	if len(f.Header) == 1 && f.Header[0] == "" {
		return &errpos.Error{File: f.Name, Line: line, Err: ErrEmptyFile}
	}
	seen := map[string]bool{}
	for i, h := range f.Header {
		if h == "" {
			return &errpos.Error{File: f.Name, Line: line, Col: f.headerCols[i], Err: fmt.Errorf("column %d has no name", i+1)}
		}
		if !utf8.ValidString(h) {
			return &errpos.Error{File: f.Name, Line: line, Col: f.headerCols[i], Value: strings.ToValidUTF8(h, "\uFFFD"), Err: ErrNotUTF8}
		}
		if seen[h] {
			return &errpos.Error{File: f.Name, Line: line, Col: f.headerCols[i], Column: h, Err: errors.New("column name used twice")}
		}
		seen[h] = true
	}
	return nil
}

// Borrow makes the rows Next returns from here on borrowed: their fields
// point into the read buffer and stay valid only until the next call of
// Next, so the caller copies (strings.Clone) whatever it keeps: a
// value it remembers, a map key, an error's value. Rows held back
// (Prefetch, ReadAll) are copied. A CSV file's text then costs no
// string of its own per 64 KB read, which a 1M-row load spent 45 MB of
// fresh memory on (BenchmarkIngestVsFloor1M). Without Borrow, a field may
// be kept as long as wanted.
func (f *File) Borrow() {
	if f.r != nil {
		f.r.borrow = true
	}
}

// borrowed reports whether the rows of f are borrowed (Borrow).
func (f *File) borrowed() bool { return f.r != nil && f.r.borrow }

// ErrNotUTF8: a cell past the first 64 KB is not UTF-8.
var ErrNotUTF8 = errors.New("invalid UTF-8: the file is in another encoding past its first 64 KB; set encoding: windows-1251 on its source")

// Next returns the next non-blank row (reused between calls), io.EOF at
// the end, or an errpos.Error.
func (f *File) Next() ([]string, error) {
	if f.rows != nil {
		return f.nextRow()
	}
	for {
		rec, err := f.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, f.wrap(err)
		}
		f.Line, _ = f.r.FieldPos(0)
		f.Line += f.offset
		f.fields = len(rec)
		if blank(rec) {
			continue // blank trailing lines and ;;; rows from spreadsheets
		}
		if len(rec) != len(f.Header) {
			return nil, &errpos.Error{File: f.Name, Line: f.Line,
				Err: fmt.Errorf("row has %d fields, header has %d", len(rec), len(f.Header))}
		}
		if f.Encoding == "utf-8" && (f.utf8 == nil || f.utf8.bad) {
			// Detection saw only the first 64 KB: a Windows-1251 cell
			// further down would otherwise pass as garbage text.
			for i, v := range rec {
				if !utf8.ValidString(v) {
					return nil, f.CellError(i, strings.ToValidUTF8(v, "\uFFFD"), ErrNotUTF8)
				}
			}
		}
		return rec, nil
	}
}

func (f *File) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
		// The reader ran on to the end of the file (or far down it)
		// looking for the closing quote: the mistake is where it opened.
		return &errpos.Error{File: f.Name, Line: pe.StartLine + f.offset,
			Err: fmt.Errorf("a quoted field opened on this line is never closed (the reader ran on to line %d looking for its closing quote)", pe.Line+f.offset)}
	}
	if errors.As(err, &pe) {
		// pe.Column is the 1-based byte column of the mistake.
		return &errpos.Error{File: f.Name, Line: pe.Line + f.offset, Col: pe.Column, Err: pe.Err}
	}
	return &errpos.Error{File: f.Name, Err: err}
}

// CellError builds the error for one cell of the current row, at the
// cell's own line and byte column when the CSV reader still holds it.
func (f *File) CellError(col int, value string, err error) *errpos.Error {
	pe := &errpos.Error{File: f.Name, Line: f.Line, Column: f.Header[col], Value: strings.Clone(value), Err: err}
	pe.Line, pe.Col = f.CellPos(f.Line, col)
	return pe
}

// HeaderError is a problem with header column c (line 1 of the table).
func (f *File) HeaderError(c int, err error) *errpos.Error {
	pe := &errpos.Error{File: f.Name, Line: 1 + f.offset, Column: errpos.Clip(f.Header[c], 60), Err: err}
	if c < len(f.headerCols) {
		pe.Col = f.headerCols[c]
	}
	return pe
}

// FieldPlace is where a field starts: line and byte column (int32: rows
// held in memory keep one per field).
type FieldPlace struct{ line, col int32 }

// FieldPlaces are the positions of the CSV reader's last record's fields
// (nil for a workbook or query result).
func (f *File) FieldPlaces() []FieldPlace {
	if f.r == nil || f.rows != nil {
		return nil
	}
	out := make([]FieldPlace, f.fields)
	for i := range out {
		l, c := f.r.FieldPos(i)
		out[i] = FieldPlace{int32(l + f.offset), int32(c)}
	}
	return out
}

// CellPos is the line and byte column of field col of the row that starts
// on line: from the CSV reader when that row is its last, from the held
// positions when the row was read ahead; line and 0 otherwise (a
// workbook, or a row held in memory elsewhere).
func (f *File) CellPos(line, col int) (int, int) {
	if col < 0 || f.r == nil || f.rows != nil {
		return line, 0
	}
	if f.heldLine == line && col < len(f.held) {
		return int(f.held[col].line), int(f.held[col].col)
	}
	if l0, _ := f.r.FieldPos(0); l0+f.offset != line || col >= f.fields {
		return line, 0
	}
	l, c := f.r.FieldPos(col)
	return l + f.offset, c
}

func (f *File) Column(name string) int {
	for i, h := range f.Header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

func blank(rec []string) bool {
	for _, v := range rec {
		if v == "" {
			continue
		}
		if c := v[0]; c > ' ' && c < 0x80 { // not space: no need to trim
			return false
		}
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
