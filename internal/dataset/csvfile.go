package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/funnel-report/funnel/internal/sources"
)

// utf16BOM names the UTF-16 flavour a byte-order mark announces, or "".
func utf16BOM(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return "utf-16le"
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return "utf-16be"
	}
	return ""
}

// guessSingleByte tells Windows-1251 (Cyrillic) from Windows-1252
// (Latin-1) in text that is not UTF-8. In both, letters with the high bit
// set are 0xC0-0xFF; Cyrillic words are made of them, while Latin-1 text
// has them one at a time between ASCII letters (café, Müller).
func guessSingleByte(head []byte) string {
	isASCIILetter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	runs, lone := 0, 0
	for i, c := range head {
		if c < 0x80 {
			continue
		}
		prevHigh := i > 0 && head[i-1] >= 0x80
		nextHigh := i+1 < len(head) && head[i+1] >= 0x80
		switch {
		case prevHigh || nextHigh:
			runs++
		case (i > 0 && isASCIILetter(head[i-1])) || (i+1 < len(head) && isASCIILetter(head[i+1])):
			lone++
		}
	}
	if lone > runs {
		return "windows-1252"
	}
	return "windows-1251"
}

// crOnly reports whether head ends its lines with a lone \r.
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0
}

// crToLF turns every \r into \n.
type crToLF struct{ r io.Reader }

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// csvFile reads one CSV file row by row and knows, for every row, the
// physical line it started on (quoted newlines make rows and lines differ).
type csvFile struct {
	name   string
	r      *csv.Reader
	header []string
	line   int // line of the current row
	fields int // fields of the CSV reader's last record
	// held are the field positions of a row read ahead and replayed
	// (rowIter), which starts on heldLine.
	held     []fieldPlace
	heldLine int
	// headerCols are the byte columns of the header's names (nil for a
	// workbook or query result).
	headerCols []int

	Encoding  string // "utf-8", "utf-16le", "utf-16be", "windows-1251" or "windows-1252", as read
	Delimiter rune
	avgLine   float64      // bytes per line in the first 16 KB; 0 if unknown
	offset    int          // lines before the header the CSV reader did not see (sep=;)
	rows      sources.Rows // a workbook or query result instead of CSV text
	// utf8 watches the bytes of a UTF-8 file as the CSV reader takes
	// them; nil for other encodings.
	utf8 *utf8Watch
}

// utf8Watch checks UTF-8 by the block as the CSV reader reads ahead,
// instead of every cell of every row: until it has seen an invalid byte
// no row can hold one, and from then on next checks each cell to name
// the first bad one. A sequence cut at the end of a block is checked
// with the next block.
type utf8Watch struct {
	r    io.Reader
	part []byte // the start of a sequence cut at the end of the last block
	bad  bool
}

func (w *utf8Watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if w.bad {
		return n, err
	}
	b := p[:n]
	for len(w.part) > 0 && len(b) > 0 && !utf8.FullRune(w.part) {
		w.part, b = append(w.part, b[0]), b[1:]
	}
	if len(w.part) > 0 && utf8.FullRune(w.part) {
		r, size := utf8.DecodeRune(w.part)
		w.bad = r == utf8.RuneError && size <= 1 || size != len(w.part)
		w.part = w.part[:0]
	}
	whole := trimPartialRune(b)
	w.part = append(w.part, b[len(whole):]...)
	if !utf8.Valid(whole) || err != nil && len(w.part) > 0 {
		w.bad = true
	}
	return n, err
}

// estimateRows guesses the rows of a file of the given size from the
// lines of its head; 0 when it cannot tell.
func (f *csvFile) estimateRows(size int64) int {
	if f.avgLine <= 0 || size <= 0 {
		return 0
	}
	return int(float64(size)/f.avgLine*1.15) + 1 // heads run short: aim high
}

// trimPartialRune drops a multi-byte sequence cut off at the end of a
// peeked buffer, so that valid UTF-8 is not mistaken for Windows-1251.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// encodingName normalises a configured encoding.
func encodingName(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) {
	case "":
		return "", nil
	case "utf-8", "utf8":
		return "utf-8", nil
	case "windows-1251", "cp1251", "cp-1251", "win-1251":
		return "windows-1251", nil
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1":
		return "windows-1252", nil
	}
	return "", fmt.Errorf("encoding %q: want utf-8, windows-1251 or windows-1252 (latin-1)", s)
}

// delimiterName reads a configured delimiter; "" means sniff. A tab may be
// written as a real tab ("\t" in double quotes), as \t, or as "tab".
func delimiterName(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(s[0]), nil
	case "\t", `\t`, "tab":
		return '\t', nil
	}
	return 0, fmt.Errorf(`delimiter %q: want ",", ";", "|" or "\t"`, s)
}

// dialect is what a source's config fixes about its CSV; zero values are
// detected.
type dialect struct {
	delim    rune
	encoding string // "", "utf-8" or "windows-1251"
}

// openCSV strips a BOM, decodes Windows-1251 (configured, or detected when
// the first 64 KB are not valid UTF-8), sniffs the delimiter (unless set)
// from the first line and reads the header. It fails on an empty file.
func openCSV(name string, in io.Reader, d dialect) (*csvFile, error) {
	if ri, ok := in.(rowInput); ok {
		return openRows(name, ri.Rows)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	enc := d.encoding
	if b, _ := br.Peek(3); bytes.Equal(b, bom) {
		_, _ = br.Discard(3)
		enc = "utf-8"
	} else if u16 := utf16BOM(b); u16 != "" {
		// Excel's "Unicode text" is UTF-16 with a BOM (and tabs).
		enc = u16
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		br = bufio.NewReaderSize(dec.NewDecoder().Reader(br), 64<<10)
	}
	if enc == "" {
		enc = "utf-8"
		head, _ := br.Peek(64 << 10)
		if nuls := bytes.Count(head, []byte{0}); nuls > 0 && nuls >= len(head)/8 {
			// Text has no NULs; UTF-16 has one in every other byte. A
			// stray one is reported where it sits (checkLabel).
			return nil, &ParseError{File: name, Err: errors.New("the file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark (save it as UTF-8 CSV)")}
		}
		if !utf8.Valid(trimPartialRune(head)) {
			enc = guessSingleByte(head)
		}
	}
	switch enc {
	case "windows-1251":
		br = bufio.NewReaderSize(charmap.Windows1251.NewDecoder().Reader(br), 64<<10)
	case "windows-1252":
		br = bufio.NewReaderSize(charmap.Windows1252.NewDecoder().Reader(br), 64<<10)
	}
	if head, _ := br.Peek(64 << 10); crOnly(head) {
		// Classic Mac line ends: encoding/csv knows only \n and \r\n, so
		// the whole file would read as one row.
		br = bufio.NewReaderSize(&crToLF{r: br}, 64<<10)
	}
	delim := d.delim
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
	var avgLine float64
	if n := bytes.Count(head, []byte{'\n'}); n >= 2 {
		avgLine = float64(len(head)) / float64(n)
	}
	var watch *utf8Watch
	var src io.Reader = br
	if enc == "utf-8" {
		watch = &utf8Watch{r: br}
		src = watch
	}
	r := csv.NewReader(src)
	r.Comma = delim
	r.FieldsPerRecord = -1 // checked here, with a better message
	r.ReuseRecord = true
	f := &csvFile{name: name, r: r, Encoding: enc, Delimiter: delim, avgLine: avgLine, offset: offset, utf8: watch}
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: name, Err: errEmptyFile}
	}
	if err != nil {
		return nil, f.wrap(err)
	}
	f.header = make([]string, len(rec))
	f.headerCols = make([]int, len(rec))
	for i, h := range rec {
		f.header[i] = strings.TrimSpace(h)
		_, f.headerCols[i] = r.FieldPos(i)
	}
	line := 1 + offset
	if len(f.header) == 1 && f.header[0] == "" {
		return nil, &ParseError{File: name, Line: line, Err: errEmptyFile}
	}
	seen := map[string]bool{}
	for i, h := range f.header {
		if h == "" {
			return nil, &ParseError{File: name, Line: line, Col: f.headerCols[i], Err: fmt.Errorf("column %d has no name", i+1)}
		}
		if !utf8.ValidString(h) {
			return nil, &ParseError{File: name, Line: line, Col: f.headerCols[i], Value: strings.ToValidUTF8(h, "\uFFFD"), Err: errNotUTF8}
		}
		if seen[h] {
			return nil, &ParseError{File: name, Line: line, Col: f.headerCols[i], Column: h, Err: errors.New("column name used twice")}
		}
		seen[h] = true
	}
	return f, nil
}

var errNotUTF8 = errors.New("invalid UTF-8: the file is in another encoding past its first 64 KB; set encoding: windows-1251 on its source")

// excelSepLine recognises Excel's optional first line "sep=;" (also
// quoted) and returns the delimiter and the line's length with its end.
func excelSepLine(br *bufio.Reader) (rune, int) {
	head, _ := br.Peek(16)
	end := bytes.IndexByte(head, '\n')
	if end < 0 {
		return 0, 0
	}
	line := strings.Trim(strings.TrimRight(string(head[:end]), "\r"), `"`)
	if len(line) != 5 || !strings.EqualFold(line[:4], "sep=") {
		return 0, 0
	}
	return rune(line[4]), end + 1
}

// next returns the next non-blank row (reused between calls), io.EOF at
// the end, or a ParseError.
func (f *csvFile) next() ([]string, error) {
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
		f.line, _ = f.r.FieldPos(0)
		f.line += f.offset
		f.fields = len(rec)
		if blank(rec) {
			continue // blank trailing lines and ;;; rows from spreadsheets
		}
		if len(rec) != len(f.header) {
			return nil, &ParseError{File: f.name, Line: f.line,
				Err: fmt.Errorf("row has %d fields, header has %d", len(rec), len(f.header))}
		}
		if f.Encoding == "utf-8" && (f.utf8 == nil || f.utf8.bad) {
			// Detection saw only the first 64 KB: a Windows-1251 cell
			// further down would otherwise pass as garbage text.
			for i, v := range rec {
				if !utf8.ValidString(v) {
					return nil, f.cellError(i, strings.ToValidUTF8(v, "\uFFFD"), errNotUTF8)
				}
			}
		}
		return rec, nil
	}
}

func (f *csvFile) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
		// The reader ran on to the end of the file (or far down it)
		// looking for the closing quote: the mistake is where it opened.
		return &ParseError{File: f.name, Line: pe.StartLine + f.offset,
			Err: fmt.Errorf("a quoted field opened on this line is never closed (the reader ran on to line %d looking for its closing quote)", pe.Line+f.offset)}
	}
	if errors.As(err, &pe) {
		// pe.Column is the 1-based byte column of the mistake.
		return &ParseError{File: f.name, Line: pe.Line + f.offset, Col: pe.Column, Err: pe.Err}
	}
	return &ParseError{File: f.name, Err: err}
}

// cellError builds the error for one cell of the current row, at the
// cell's own line and byte column when the CSV reader still holds it.
func (f *csvFile) cellError(col int, value string, err error) *ParseError {
	pe := &ParseError{File: f.name, Line: f.line, Column: f.header[col], Value: value, Err: err}
	pe.Line, pe.Col = f.cellPos(f.line, col)
	return pe
}

// headerError is a problem with header column c (line 1 of the table).
func (f *csvFile) headerError(c int, err error) *ParseError {
	pe := &ParseError{File: f.name, Line: 1 + f.offset, Column: clip(f.header[c], 60), Err: err}
	if c < len(f.headerCols) {
		pe.Col = f.headerCols[c]
	}
	return pe
}

// fieldPlace is where a field starts: line and byte column (int32: rows
// held in memory keep one per field).
type fieldPlace struct{ line, col int32 }

// fieldPlaces are the positions of the CSV reader's last record's fields
// (nil for a workbook or query result).
func (f *csvFile) fieldPlaces() []fieldPlace {
	if f.r == nil || f.rows != nil {
		return nil
	}
	out := make([]fieldPlace, f.fields)
	for i := range out {
		l, c := f.r.FieldPos(i)
		out[i] = fieldPlace{int32(l + f.offset), int32(c)}
	}
	return out
}

// cellPos is the line and byte column of field col of the row that starts
// on line: from the CSV reader when that row is its last, from the held
// positions when the row was read ahead; line and 0 otherwise (a
// workbook, or a row held in memory elsewhere).
func (f *csvFile) cellPos(line, col int) (int, int) {
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

func (f *csvFile) column(name string) int {
	for i, h := range f.header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// sniffDelimiter picks the candidate that splits the first line into the
// most fields, outside quotes. Ties go to the comma.
func sniffDelimiter(head []byte) rune {
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		n, quoted := 0, false
		for _, c := range string(line) {
			switch {
			case c == '"':
				quoted = !quoted
			case c == d && !quoted:
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}
