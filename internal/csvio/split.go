package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"math/bits"
	"strings"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// splitter reads CSV records as encoding/csv does (ReuseRecord, any
// number of fields per record, no comments, no lazy quotes): the same
// fields, the same line and column of each, the same errors. It splits
// the common case itself, lines without a double quote under a one-byte
// delimiter, and hands the rest of the file to an encoding/csv Reader
// from the first line it does not handle (a quote anywhere in it, a line
// longer than the read buffer) or from the start (a delimiter of several
// bytes). FuzzSplitterMatchesCSV holds the two to the same answers.
//
// Why: encoding/csv copies every line into a field buffer and the fields
// into a new string per record; BenchmarkIngestVsFloor1M found that a
// third of a 1M-record load. The splitter turns a buffer of whole lines
// into one string and cuts the fields from it: no copy per field, one
// allocation per 64 KB instead of one per row, and none at all when the
// rows are borrowed (File.Borrow: the string is the read buffer itself).
type splitter struct {
	br    *bufio.Reader
	watch *utf8Watch // nil unless the file is UTF-8: told of invalid blocks
	comma byte
	// special are the bytes a line is scanned for: the delimiter,
	// the line end and the double quote.
	special [256]bool
	commas  uint64 // the delimiter in every byte

	rest   string // whole lines read from br, not yet split
	err    error  // the error br returned while rest was filled
	line   int    // lines read so far
	recAt  int    // line of the last record
	rec    []string
	starts []int // byte offset of each field of rec in its line

	// After a line the splitter does not handle: encoding/csv reads
	// the rest of the file; its line numbers start after base lines.
	csv  *csv.Reader
	base int

	// borrow: rest points into br's buffer instead of a string of its
	// own (File.Borrow); poison is that block, overwritten by the next
	// fill when a test stresses borrowed rows (StressBorrowed).
	borrow bool
	poison []byte
}

func newSplitter(br *bufio.Reader, watch *utf8Watch, comma rune) *splitter {
	s := &splitter{br: br, watch: watch}
	if comma >= utf8.RuneSelf || !validDelim(comma) {
		s.toCSV("", comma) // a multi-byte delimiter, or one encoding/csv refuses
		return s
	}
	s.comma = byte(comma)
	s.special[s.comma], s.special['\n'], s.special['"'] = true, true, true
	s.commas = ones * uint64(s.comma)
	return s
}

// validDelim is encoding/csv's rule for a delimiter.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// toCSV hands the file to encoding/csv from the line that starts head
// (the unread rest of the current block) on.
func (s *splitter) toCSV(head string, comma rune) {
	var src io.Reader = s.br
	if s.err != nil {
		// br has handed its error over already: what it still holds,
		// then that error.
		src = io.MultiReader(io.LimitReader(s.br, int64(s.br.Buffered())), errReader{s.err})
	}
	if s.watch != nil {
		s.watch.r = src // the blocks split so far were checked already
		src = s.watch
	}
	if head != "" {
		src = io.MultiReader(strings.NewReader(head), src)
	}
	r := csv.NewReader(src)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	s.csv, s.base, s.rest = r, s.line, ""
}

// Read returns the next record (reused by the next call), io.EOF at
// the end, or encoding/csv's error.
func (s *splitter) Read() ([]string, error) {
	for s.csv == nil {
		if s.rest == "" {
			if err := s.fill(); err != nil {
				return nil, err
			}
			continue
		}
		switch s.cut() {
		case cutQuote:
			s.toCSV(s.rest, rune(s.comma))
		case cutRecord:
			return s.rec, nil
		}
	}
	rec, err := s.csv.Read()
	if pe, ok := err.(*csv.ParseError); ok {
		moved := *pe
		moved.StartLine += s.base
		moved.Line += s.base
		return rec, &moved
	}
	return rec, err
}

type cutResult int

const (
	cutRecord cutResult = iota
	cutEmpty            // a line encoding/csv skips
	cutQuote            // a line for encoding/csv, left in s.rest
)

// cut splits the first line of s.rest into s.rec at the delimiter, in
// one pass over its bytes, and drops it from s.rest.
func (s *splitter) cut() cutResult {
	at := s.rest
	rec, starts := s.rec[:0], s.starts[:0]
	field, end, next := 0, len(at), len(at) // the last line may have no end (fill)
	for i := s.nextSpecial(at, 0); i < len(at); i = s.nextSpecial(at, i+1) {
		c := at[i]
		if c == s.comma {
			rec, starts = append(rec, at[field:i]), append(starts, field)
			field = i + 1
			continue
		}
		if c == '"' {
			s.rec, s.starts = rec, starts
			return cutQuote
		}
		end, next = i, i+1 // '\n'
		break
	}
	s.rest = at[next:]
	s.line++
	// encoding/csv drops one \r before the line end (or the end of the
	// file), and skips lines left empty.
	if end > field && at[end-1] == '\r' {
		end--
	}
	if end == 0 {
		// Nothing was cut: the last record and its positions stay, as
		// encoding/csv keeps them over the empty lines it skips.
		return cutEmpty
	}
	s.rec, s.starts, s.recAt = append(rec, at[field:end]), append(starts, field), s.line
	return cutRecord
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// nextSpecial is the index of the first delimiter, line end or quote in
// at from i on, or len(at). It tests eight bytes at a time: a byte of w
// equal to c makes w^(c×ones) hold a zero byte, and (x−ones)&^x&highs
// marks the lowest zero byte of x exactly (a borrow can only mark bytes
// above it), so the lowest mark of the three is the first match.
func (s *splitter) nextSpecial(at string, i int) int {
	for ; i+8 <= len(at); i += 8 {
		w := load64(at, i)
		a, b, c := w^s.commas, w^(ones*'\n'), w^(ones*'"')
		if m := ((a-ones)&^a | (b-ones)&^b | (c-ones)&^c) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(at); i++ {
		if s.special[at[i]] {
			return i
		}
	}
	return i
}

// load64 reads eight bytes of s from i on, little-endian (one load: the
// compiler combines the byte reads).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// fill takes the whole lines in br's buffer as one string (the last
// line of the file may have no end). A line longer than the buffer, or
// cut by a read error, goes to encoding/csv.
func (s *splitter) fill() error {
	for i := range s.poison {
		s.poison[i] = '#' // passed, not read again: StressBorrowed
	}
	s.poison = nil
	var b []byte
	if s.err == nil {
		b, s.err = s.br.Peek(s.br.Size())
	} else {
		b, _ = s.br.Peek(s.br.Buffered())
	}
	switch i := bytes.LastIndexByte(b, '\n'); {
	case i >= 0:
		b = b[:i+1]
	case s.err == nil || s.err == bufio.ErrBufferFull:
		s.err = nil // a line longer than the buffer
		s.toCSV("", rune(s.comma))
		return nil
	case s.err != io.EOF:
		// A read error: encoding/csv parses what came before it (a
		// parse error there is the one it reports).
		s.toCSV("", rune(s.comma))
		return nil
	case len(b) == 0:
		return io.EOF
	}
	b = s.stressCut(b)
	if s.watch != nil && !s.watch.bad && !utf8.Valid(b) {
		s.watch.bad = true
	}
	if s.borrow {
		// The bytes stay in br's buffer until the next fill moves or
		// overwrites them: no copy, no fresh memory per block.
		s.rest = unsafe.String(&b[0], len(b))
	} else {
		s.rest = string(b)
	}
	_, _ = s.br.Discard(len(b))
	return nil
}

// stressBlock, when above zero, is the most bytes of whole lines a
// borrowed block holds (at least one line), and the splitter overwrites
// a borrowed block once it has moved past it: a string kept from a
// borrowed row then turns to garbage in a test, instead of only when a
// file is larger than the read buffer.
var stressBlock atomic.Int64

// StressBorrowed is for tests of code that reads borrowed rows (File.Borrow):
// from now until undo, borrowed blocks hold at most maxBlock bytes of
// whole lines and are overwritten once passed.
func StressBorrowed(maxBlock int) (undo func()) {
	stressBlock.Store(int64(maxBlock))
	return func() { stressBlock.Store(0) }
}

// stressCut shortens a block under StressBorrowed (the first, before
// File.Borrow, too: the rows in it are not borrowed) and marks a borrowed
// one to be overwritten by the next fill.
func (s *splitter) stressCut(b []byte) []byte {
	lim := int(stressBlock.Load())
	if lim <= 0 {
		return b
	}
	if len(b) > lim {
		if i := bytes.LastIndexByte(b[:lim], '\n'); i >= 0 {
			b = b[:i+1]
		} else if i = bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[:i+1]
		} // else the file's last line, without an end: whole
	}
	if s.borrow {
		s.poison = b
	}
	return b
}

// FieldPos is the line and 1-based byte column where field i of the last
// record starts, as encoding/csv's FieldPos.
func (s *splitter) FieldPos(i int) (line, column int) {
	if s.csv != nil {
		l, c := s.csv.FieldPos(i)
		return l + s.base, c
	}
	return s.recAt, s.starts[i] + 1
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
