// Package errpos is the project's one positioned error: a problem at a
// place in an input, with a severity, printed one way and collected in a
// List with a cap and "… and N more". A place is one of three kinds:
//
//   - a line and column of a text file (CSV, funnel.yaml, front matter,
//     commentary): "data/x.csv:12:7";
//   - a cell of a workbook: "data/x.xlsx[Sheet]!C12" (or "… row 12");
//   - a row of a database source's result: "source crm row 12".
//
// Each kind has one printed form (Place) and one GitHub-annotation form
// (Annotation). Config, dataset, sources, content and render report bad
// input with it; funnel check reads the fields off it for its machine
// formats instead of parsing text.
package errpos

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity says whether a problem stopped the load.
type Severity uint8

const (
	// Fatal problems stop the load or build (the zero value).
	Fatal Severity = iota
	// Warning problems are reported and the work goes on.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Error is one problem at one place.
type Error struct {
	// File is the path relative to the project: the text file, or the
	// workbook when Sheet is set; "" for a database source.
	File string
	// Line is 1-based: the text line, the sheet row or the result row;
	// 0 when the whole file (sheet, source) is meant.
	Line int
	// Col is 1-based: the byte column in a text line (as Go's tools
	// count), or the column number in a sheet; 0 when only the line is
	// known.
	Col int
	// Sheet makes the place a workbook cell: File[Sheet]!C12.
	Sheet string
	// Source makes the place a database source's row.
	Source string
	// Column is the named column (a CSV header) the value is in; "" for
	// a row or file problem.
	Column   string
	Value    string // the offending text, if any
	Severity Severity
	Err      error
}

// New is an Error at file:line:col with a formatted message.
func New(file string, line, col int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Err: fmt.Errorf(format, args...)}
}

// Loc is a place without a problem yet: what a row source (a sheet, a
// query result) answers when asked where a cell is.
type Loc struct {
	File, Sheet, Source string
	Line, Col           int
}

// At is the problem err at l.
func (l Loc) At(err error) *Error {
	e := &Error{Err: err}
	e.SetLoc(l)
	return e
}

// Loc is where e is.
func (e *Error) Loc() Loc {
	return Loc{File: e.File, Sheet: e.Sheet, Source: e.Source, Line: e.Line, Col: e.Col}
}

// SetLoc moves e to l, keeping its message, column name and value.
func (e *Error) SetLoc(l Loc) {
	e.File, e.Line, e.Col, e.Sheet, e.Source = l.File, l.Line, l.Col, l.Sheet, l.Source
}

// Place is where the problem is, in its kind's printed form (Loc.String).
func (e *Error) Place() string { return e.Loc().String() }

// String is the place in its kind's printed form: "file:line:col"
// (":col" and ":line" dropped when unknown, "file" for the whole file),
// "file[Sheet]!C12" ("file[Sheet] row 12" for a row, "file[Sheet]" for
// the sheet), "source NAME row 12" ("source NAME").
func (l Loc) String() string {
	switch {
	case l.Source != "":
		if l.Line > 0 {
			return "source " + l.Source + " row " + strconv.Itoa(l.Line)
		}
		return "source " + l.Source
	case l.Sheet != "":
		return l.File + l.cell()
	case l.Line > 0 && l.Col > 0:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
	case l.Line > 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return l.File
}

// cell is a workbook place after its file name: "[Sheet]!C12",
// "[Sheet] row 12" or "[Sheet]".
func (l Loc) cell() string {
	at := "[" + l.Sheet + "]"
	if l.Line <= 0 {
		return at
	}
	if l.Col > 0 {
		return at + "!" + ColumnName(l.Col) + strconv.Itoa(l.Line)
	}
	return at + " row " + strconv.Itoa(l.Line)
}

// ColumnName is a spreadsheet's name of the 1-based column n: A … Z,
// AA … AZ, BA … (bijective base 26).
func ColumnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append(b, byte('A'+(n-1)%26))
	}
	slices.Reverse(b)
	return string(b)
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

// Error prints "place: message", and "place: warning: message" for a
// warning, as compilers do.
func (e *Error) Error() string {
	msg := e.Message()
	if e.Severity == Warning {
		msg = "warning: " + msg
	}
	if p := e.Place(); p != "" {
		return p + ": " + msg
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Annotation is the problem as a GitHub Actions workflow command, so the
// runner pins it to the file in a pull request's diff: a text file's
// problem carries file, line and col; a workbook's carries the file and
// names its cell in the message (a sheet row is no line of the file); a
// database source's names its source and row in the message. title
// heads the annotation. Everything user-supplied is escaped as the
// runner unescapes it (actions/toolkit command.ts), so a message stays
// one command whatever the data holds.
func (e *Error) Annotation(title string) string {
	var props []string
	msg := e.Message()
	switch {
	case e.Source != "":
		msg = e.Place() + ": " + msg
	case e.Sheet != "":
		props = append(props, "file="+ghProperty(e.File))
		msg = e.Loc().cell() + ": " + msg
	case e.File != "":
		props = append(props, "file="+ghProperty(e.File))
		if e.Line > 0 {
			props = append(props, "line="+strconv.Itoa(e.Line))
			if e.Col > 0 {
				props = append(props, "col="+strconv.Itoa(e.Col))
			}
		}
	}
	if title != "" {
		props = append(props, "title="+ghProperty(title))
	}
	level := "error"
	if e.Severity == Warning {
		level = "warning"
	}
	if len(props) == 0 {
		return "::" + level + "::" + ghData(msg)
	}
	return "::" + level + " " + strings.Join(props, ",") + "::" + ghData(msg)
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

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

// Add records an error; past MaxErrors it only counts. Another List's
// problems are added one by one, so lists of parts (pages, files) join
// into one flat list with one cap.
func (l *List) Add(err error) {
	if sub, ok := err.(*List); ok {
		for _, e := range sub.Errs {
			l.Add(e)
		}
		l.Dropped += sub.Dropped
		return
	}
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
