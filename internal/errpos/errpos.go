// Package errpos is the project's one positioned error: a problem at a
// place in an input — a line and column of a text file (CSV, funnel.yaml,
// front matter, commentary), a workbook cell, a database source's row —
// printed one way, "file:line:col: message", and collected in a List with
// a cap and "… and N more". Config, dataset and content report bad input
// with it; funnel check reads File, Line and Col off it for its machine
// formats instead of parsing text.
package errpos

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is one problem at one place.
type Error struct {
	File string // path relative to the project
	Line int    // 1-based; 0 when the whole file is meant
	// Col is the 1-based byte column in the line (as Go's tools count);
	// 0 when only the line is known.
	Col int
	// Where replaces file:line:col for places that are not lines of a
	// text file: "x.xlsx[Sheet]!C12", "source crm row 12".
	Where string
	// Column is the named column (a CSV header) the value is in; "" for
	// a row or file problem.
	Column string
	Value  string // the offending text, if any
	Err    error
}

// New is an Error at file:line:col with a formatted message.
func New(file string, line, col int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Err: fmt.Errorf(format, args...)}
}

// Place is where the problem is: "file:line:col", "file:line" when the
// column is unknown, "file" for the whole file, or Where.
func (e *Error) Place() string {
	switch {
	case e.Where != "":
		return e.Where
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// Message is the problem without its place: the named column, the
// message and the offending value (clipped: a value may be megabytes).
func (e *Error) Message() string {
	var b strings.Builder
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Value != "" {
		fmt.Fprintf(&b, " (value %q)", Clip(e.Value, 60))
	}
	return b.String()
}

func (e *Error) Error() string {
	if p := e.Place(); p != "" {
		return p + ": " + e.Message()
	}
	return e.Message()
}

func (e *Error) Unwrap() error { return e.Err }

// Clip shortens s to n runes without copying all of it.
func Clip(s string, n int) string {
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

// MaxErrors is how many problems a List keeps before it only counts.
const MaxErrors = 20

// List collects the problems of one load, in the order found.
type List struct {
	Errs    []error
	Dropped int // problems found beyond MaxErrors
}

// Add records an error; past MaxErrors it only counts.
func (l *List) Add(err error) {
	if len(l.Errs) >= MaxErrors {
		l.Dropped++
		return
	}
	l.Errs = append(l.Errs, err)
}

// Full reports whether the list has reached MaxErrors.
func (l *List) Full() bool { return len(l.Errs) >= MaxErrors }

// Err returns nil when nothing was added, else the list itself.
func (l *List) Err() error {
	if len(l.Errs) == 0 {
		return nil
	}
	return l
}

func (l *List) Error() string {
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

// Unwrap lets errors.As find an Error inside the list.
func (l *List) Unwrap() []error { return l.Errs }
