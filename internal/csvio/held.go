package csvio

import (
	"errors"
	"io"
	"strings"

	"github.com/funnel-report/funnel/internal/errpos"
)

// detectRows is how many rows are held back at most while the date
// layouts of a file are detected. Real exports settle within a few dozen
// rows (the first day after the 12th); the cap keeps memory flat.
const detectRows = 20000

// DateColumn is a date column of one file and the detector of its layout.
type DateColumn struct {
	Col int
	Det *Detector
}

// Rows yields the rows of a file: first those held back while dates
// were detected, then the rest, streamed.
type Rows struct {
	f       *File
	pending [][]string
	lines   []int
	places  [][]FieldPlace // each held row's field positions, for errors
	eof     bool
}

// Prefetch reads rows until every date column's layout is decided, the
// cap is reached or the file ends. Values no layout reads are left for
// the row pass to report.
func Prefetch(f *File, cols []DateColumn) (*Rows, error) {
	it := &Rows{f: f}
	undecided := func() bool {
		for _, c := range cols {
			if !c.Det.Decided() {
				return true
			}
		}
		return false
	}
	for len(it.pending) < detectRows && (len(it.pending) == 0 || undecided()) {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			it.eof = true
			break
		}
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			if v := strings.TrimSpace(rec[c.Col]); v != "" {
				c.Det.Observe(v)
			}
		}
		it.hold(rec)
	}
	return it, nil
}

// ReadAll holds every row of f (a wide snapshot whose segment columns are
// told from its metric columns by their values).
func ReadAll(f *File) (*Rows, error) {
	it := &Rows{f: f}
	for {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		it.hold(rec)
	}
	it.eof = true
	return it, nil
}

// Stream yields the rows of f as they are read, none held.
func Stream(f *File) *Rows { return &Rows{f: f} }

// hold keeps a copy of the row just read, with its line and field
// positions.
func (it *Rows) hold(rec []string) {
	held := append([]string(nil), rec...)
	if it.f.borrowed() {
		for i, v := range held {
			held[i] = strings.Clone(v)
		}
	}
	it.pending = append(it.pending, held)
	it.lines = append(it.lines, it.f.Line)
	it.places = append(it.places, it.f.FieldPlaces())
}

// Held are the rows read ahead and not yet returned by Next.
func (it *Rows) Held() [][]string { return it.pending }

// Next returns the next row and its physical line, or io.EOF. A held row
// is the iterator's own; a streamed one is reused by the next call.
func (it *Rows) Next() ([]string, int, error) {
	if len(it.pending) > 0 {
		rec, line := it.pending[0], it.lines[0]
		it.f.held, it.f.heldLine = nil, line
		if len(it.places) > 0 {
			it.f.held, it.places = it.places[0], it.places[1:]
		}
		it.pending, it.lines = it.pending[1:], it.lines[1:]
		return rec, line, nil
	}
	it.f.held, it.f.heldLine = nil, 0
	if it.eof {
		return nil, 0, io.EOF
	}
	rec, err := it.f.Next()
	if err != nil {
		return nil, 0, err
	}
	return rec, it.f.Line, nil
}

// SettleLayouts turns detectors into layouts. An undecided column takes a
// decided sibling's layout when that is one of its candidates (leads and
// deals exported by one tool write dates alike); else it is an error
// asking for date_format.
func SettleLayouts(file string, header []string, cols []DateColumn, siblings []*Detector) (map[int]DateLayout, error) {
	out := map[int]DateLayout{}
	for _, c := range cols {
		l, err := c.Det.Layout()
		if !c.Det.seen {
			// Empty in every row read so far (no deal won yet): write it as
			// its decided siblings do.
			for _, s := range siblings {
				if s.Decided() {
					l = s.cands[0]
					break
				}
			}
		}
		if err != nil {
			adopted := false
			for _, s := range siblings {
				if s.Decided() && c.Det.can(s.cands[0]) {
					l, adopted = s.cands[0], true
					break
				}
			}
			if !adopted {
				return nil, &errpos.Error{File: file, Column: header[c.Col], Err: err}
			}
		}
		out[c.Col] = l
	}
	return out, nil
}

// can reports whether l is still a candidate.
func (d *Detector) can(l DateLayout) bool {
	for _, c := range d.cands {
		if c == l {
			return true
		}
	}
	return false
}
