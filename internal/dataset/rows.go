package dataset

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// detectRows is how many rows are held back at most while the date
// layouts of a file are detected. Real exports settle within a few dozen
// rows (the first day after the 12th); the cap keeps memory flat.
const detectRows = 20000

// dateColumn is a date column of one file and the detector of its layout.
type dateColumn struct {
	col int
	det *dateDetector
}

// rowIter yields the rows of a file: first those held back while dates
// were detected, then the rest, streamed.
type rowIter struct {
	f       *csvFile
	pending [][]string
	lines   []int
	places  [][]fieldPlace // each held row's field positions, for errors
	eof     bool
}

// prefetch reads rows until every date column's layout is decided, the
// cap is reached or the file ends. Values no layout reads are left for
// the row pass to report.
func prefetch(f *csvFile, cols []dateColumn) (*rowIter, error) {
	it := &rowIter{f: f}
	undecided := func() bool {
		for _, c := range cols {
			if !c.det.decided() {
				return true
			}
		}
		return false
	}
	for len(it.pending) < detectRows && (len(it.pending) == 0 || undecided()) {
		rec, err := f.next()
		if errors.Is(err, io.EOF) {
			it.eof = true
			break
		}
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			if v := strings.TrimSpace(rec[c.col]); v != "" {
				c.det.observe(v)
			}
		}
		it.pending = append(it.pending, append([]string(nil), rec...))
		it.lines = append(it.lines, f.line)
		it.places = append(it.places, f.fieldPlaces())
	}
	return it, nil
}

// next returns the next row and its physical line, or io.EOF.
func (it *rowIter) next() ([]string, int, error) {
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
	rec, err := it.f.next()
	if err != nil {
		return nil, 0, err
	}
	return rec, it.f.line, nil
}

// settleLayouts turns detectors into layouts. An undecided column takes a
// decided sibling's layout when that is one of its candidates (leads and
// deals exported by one tool write dates alike); else it is an error
// asking for date_format.
func settleLayouts(file string, header []string, cols []dateColumn, siblings []*dateDetector) (map[int]DateLayout, error) {
	out := map[int]DateLayout{}
	for _, c := range cols {
		l, err := c.det.layout()
		if !c.det.seen {
			// Empty in every row read so far (no deal won yet): write it as
			// its decided siblings do.
			for _, s := range siblings {
				if s.decided() {
					l = s.cands[0]
					break
				}
			}
		}
		if err != nil {
			adopted := false
			for _, s := range siblings {
				if s.decided() && c.det.can(s.cands[0]) {
					l, adopted = s.cands[0], true
					break
				}
			}
			if !adopted {
				return nil, &ParseError{File: file, Column: header[c.col], Err: err}
			}
		}
		out[c.col] = l
	}
	return out, nil
}

func (d *dateDetector) can(l DateLayout) bool {
	for _, c := range d.cands {
		if c == l {
			return true
		}
	}
	return false
}

// missingColumn is the error for a configured column absent from a file.
func missingColumn(file, col string, headers ...[]string) error {
	var names []string
	for _, h := range headers {
		names = append(names, h...)
	}
	return &ParseError{File: file, Line: 1, Column: col, Err: fmt.Errorf("no such column (the file has %s)", quoteList(names))}
}

func quoteList(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return s
}
