package errpos

import (
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"go.yaml.in/yaml/v3"
)

func TestErrorPrintsPlace(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{File: "a.csv", Line: 3, Col: 7, Column: "deals", Value: "x", Err: errors.New("not a number")}, `a.csv:3:7: column "deals": not a number (value "x")`},
		{&Error{File: "a.csv", Line: 3, Err: errors.New("row too short")}, "a.csv:3: row too short"},
		{&Error{File: "data/", Err: errors.New("no data folder")}, "data/: no data folder"},
		{&Error{File: "x.xlsx", Sheet: "S", Line: 12, Col: 3, Err: errors.New("bad")}, "x.xlsx[S]!C12: bad"},
		{&Error{File: "x.xlsx", Sheet: "S", Line: 12, Err: errors.New("bad")}, "x.xlsx[S] row 12: bad"},
		{&Error{File: "x.xlsx", Sheet: "S", Err: errors.New("bad")}, "x.xlsx[S]: bad"},
		{&Error{Source: "crm", Line: 4, Column: "stage", Err: errors.New("bad")}, `source crm row 4: column "stage": bad`},
		{&Error{Source: "crm", Err: errors.New("timeout")}, "source crm: timeout"},
		{&Error{File: "a.csv", Line: 3, Severity: Warning, Err: errors.New("dated before")}, "a.csv:3: warning: dated before"},
		{New("f.yaml", 2, 5, "unknown key %q", "k"), `f.yaml:2:5: unknown key "k"`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}

// Each kind of place has one annotation form: a text file's line and
// column go to the runner, a workbook's cell and a source's row into the
// message; nothing in a message can end the command or start another.
func TestAnnotationPerKind(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{File: "data/a.csv", Line: 3, Col: 7, Column: "deals", Err: errors.New("not a number")},
			`::error file=data/a.csv,line=3,col=7,title=check::column "deals": not a number`},
		{&Error{File: "funnel.yaml", Line: 2, Severity: Warning, Err: errors.New("old key")},
			`::warning file=funnel.yaml,line=2,title=check::old key`},
		{&Error{File: "data/x.xlsx", Sheet: "Q1", Line: 12, Col: 28, Err: errors.New("bad date")},
			`::error file=data/x.xlsx,title=check::[Q1]!AB12: bad date`},
		{&Error{Source: "crm", Line: 5, Err: errors.New("bad\n::error::x 100%")},
			`::error title=check::source crm row 5: bad%0A::error::x 100%25`},
		{&Error{File: "data/a,b:c.csv", Err: errors.New("empty")},
			`::error file=data/a%2Cb%3Ac.csv,title=check::empty`},
	} {
		if got := tc.e.Annotation("check"); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	if got := (&Error{Source: "crm", Err: errors.New("x")}).Annotation(""); got != "::error::source crm: x" {
		t.Errorf("no properties: %s", got)
	}
}

// ColumnName agrees with excelize's names (the library the workbook
// reader uses) wherever a sheet may reach.
func TestColumnNameMatchesExcelize(t *testing.T) {
	for n := 1; n <= 16384; n++ {
		want, err := excelize.ColumnNumberToName(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := ColumnName(n); got != want {
			t.Fatalf("column %d: %q, want %q", n, got, want)
		}
	}
}

func TestListCapsAndCounts(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("an empty list is no error")
	}
	for i := range MaxErrors + 3 {
		l.Add(New("a.csv", i+1, 1, "bad"))
	}
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[MaxErrors] != "… and 3 more problems" {
		t.Errorf("list prints %d lines, last %q", len(lines), lines[len(lines)-1])
	}
	var e *Error
	if !errors.As(l.Err(), &e) || e.Line != 1 {
		t.Errorf("errors.As finds %+v", e)
	}
}

// yaml.v3's text-only errors get their line offset and a column: the
// unknown key, the value that does not decode, the line's first node, or
// for a syntax error the line's first character.
func TestYAMLPositions(t *testing.T) {
	type T struct {
		Name   string `yaml:"name"`
		Weight int    `yaml:"weight"`
		List   []int  `yaml:"list"`
	}
	for _, tc := range []struct {
		src   string
		first int
		want  string
	}{
		{"name: a\nwieght: 3\n", 1, "f:2:1: field wieght not found"},
		{"name: a\nweight: heavy\n", 1, "f:2:9: cannot unmarshal !!str `heavy`"},
		{"name: a\nlist: [1, x]\n", 2, "f:3:11: cannot unmarshal !!str `x`"},
		{"name: [a\n", 1, "f:"},
		{"name: a\n  bad: 1\n", 1, "f:2:3: mapping values are not allowed"},
	} {
		var v T
		dec := yaml.NewDecoder(strings.NewReader(tc.src))
		dec.KnownFields(true)
		err := YAML("f", []byte(tc.src), tc.first, dec.Decode(&v), nil)
		var e *Error
		if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %s…", tc.src, err, tc.want)
		}
	}
	// Several problems: a List, one positioned error each.
	var v T
	dec := yaml.NewDecoder(strings.NewReader("nam: a\nweight: x\n"))
	dec.KnownFields(true)
	err := YAML("f", []byte("nam: a\nweight: x\n"), 1, dec.Decode(&v), strings.ToUpper)
	if got := err.Error(); got != "f:1:1: FIELD NAM NOT FOUND IN TYPE ERRPOS.T\nf:2:9: CANNOT UNMARSHAL !!STR `X` INTO INT" {
		t.Errorf("got %q", got)
	}
	// A custom unmarshaler's *Error (no file) gets the file and offset.
	err = YAML("f", nil, 3, New("", 2, 4, "bad ratio"), nil)
	if err.Error() != "f:4:4: bad ratio" {
		t.Errorf("custom error: %v", err)
	}
}

// A list of lists (one per page) is one flat list with one cap.
func TestListFlattens(t *testing.T) {
	var page1, page2, all List
	page1.Add(New("content/a.md", 3, 1, "bad embed"))
	for i := range MaxErrors + 2 {
		page2.Add(New("content/b.md", i+1, 1, "bad embed"))
	}
	all.Add(&page1)
	all.Add(&page2)
	all.Add(errors.New("template index.html: boom"))
	if len(all.Errs) != MaxErrors || all.Dropped != 4 { // 1 + 19 kept; 1 + 2 + the plain one dropped
		t.Fatalf("%d kept, %d dropped; want %d and 4", len(all.Errs), all.Dropped, MaxErrors)
	}
	var e *Error
	if !errors.As(all.Errs[0], &e) || e.File != "content/a.md" {
		t.Errorf("first problem %v", all.Errs[0])
	}
}
