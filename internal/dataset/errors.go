package dataset

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseError is a problem with one cell (or one row) of an input file.
type ParseError struct {
	File   string // path relative to the project
	Line   int    // physical line, 1-based; 0 when the whole file is meant
	Column string // column name from the header; "" for a row or file error
	Value  string // the offending text, if any
	Err    error
	// Where replaces "File:Line" for sources that are not CSV files:
	// "x.xlsx[Sheet]!C12", "source crm row 12" (see locate).
	Where string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	switch {
	case e.Where != "":
		b.WriteString(e.Where)
	case e.Line > 0:
		fmt.Fprintf(&b, "%s:%d", e.File, e.Line)
	default:
		b.WriteString(e.File)
	}
	b.WriteString(": ")
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	b.WriteString(e.Err.Error())
	if e.Value != "" {
		fmt.Fprintf(&b, " (value %q)", clip(e.Value, 60))
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// clip shortens s to n runes without copying all of it: a value may be
// megabytes long.
func clip(s string, n int) string {
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// MaxErrors is how many problems one load reports before it stops listing.
const MaxErrors = 20

// ErrorList collects the problems of one load, in the order found.
type ErrorList struct {
	Errs    []error
	Dropped int // problems found beyond MaxErrors
}

// Add records an error; past MaxErrors it only counts.
func (l *ErrorList) Add(err error) {
	if len(l.Errs) >= MaxErrors {
		l.Dropped++
		return
	}
	l.Errs = append(l.Errs, err)
}

// Full reports whether the list has reached MaxErrors.
func (l *ErrorList) Full() bool { return len(l.Errs) >= MaxErrors }

// Err returns nil when nothing was added, else the list itself.
func (l *ErrorList) Err() error {
	if len(l.Errs) == 0 {
		return nil
	}
	return l
}

func (l *ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l.Errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if l.Dropped > 0 {
		fmt.Fprintf(&b, "\n… and %d more problems", l.Dropped)
	}
	return b.String()
}

// Unwrap lets errors.As find a ParseError inside the list.
func (l *ErrorList) Unwrap() []error { return l.Errs }

var (
	errNotNumber  = errors.New("not a number")
	errEmptyFile  = errors.New("empty file: expected a header row")
	errNoData     = errors.New("no data rows")
	errNoMetric   = errors.New("no metric column")
	errNoPeriod   = errors.New(`no "period" column`)
	errEmptyValue = errors.New("empty value")
)
