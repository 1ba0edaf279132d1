package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/tools/txtar"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/termsafe"
)

// TestHostileCorpus runs every case of testdata/hostile (issue 11): a
// txtar archive holding a project and a "want" file of directives, one a
// line:
//
//	exit 0|1                 the build succeeds or fails
//	error: TEXT              the error, line by line, exactly ($DIR is
//	                         the case's folder), as printed (escaped)
//	out PATH | source PATH   --out / --source, relative to $DIR (default
//	                         --out $DIR/../out, --source $DIR)
//	symlink LINK TARGET      make a link before the build
//	encode FILE utf-16le|utf-16be|latin-1|cr   re-encode a file
//	seed FILE TEXT           put a file into the last good site
//	write FILE TEXT          write a file (FILE relative to $DIR)
//	nogood                   the output cannot take the good site first
//	periods: P…              the report's periods, in order
//	value PERIOD METRIC V    the total of a metric in a period
//	segment DIM VALUE        a segment value that must exist
//	contains FILE TEXT       a site file holds TEXT; absent FILE TEXT: not
//	file FILE | nofile FILE  a site file exists / does not
//
// Before each case the output holds a good site (smallProject); a failed
// build must leave it byte-identical.
func TestHostileCorpus(t *testing.T) {
	cases, err := filepath.Glob("testdata/hostile/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	good := writeProject(t, smallProject)
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runHostile(t, file, good)
		})
	}
}

type directive struct {
	verb string
	args []string
	rest string // the text after the verb
}

func runHostile(t *testing.T, file, good string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "project")
	var want []directive
	for _, f := range ar.Files {
		if f.Name == "want" {
			for _, line := range strings.Split(strings.TrimRight(string(f.Data), "\n"), "\n") {
				verb, rest, _ := strings.Cut(line, " ")
				want = append(want, directive{verb, strings.Fields(rest), rest})
			}
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err = os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err = os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	expand := func(s string) string { return strings.ReplaceAll(s, "$DIR", dir) }
	nogood := false
	o := build.Options{Source: dir, Out: filepath.Join(root, "out")}
	exit := -1
	var wantErr []string
	for _, d := range want {
		switch d.verb {
		case "exit":
			exit, _ = strconv.Atoi(d.rest)
		case "error:":
			wantErr = append(wantErr, d.rest)
		case "out":
			o.Out = filepath.Join(dir, expand(d.rest))
		case "source":
			o.Source = filepath.Join(dir, expand(d.rest))
		case "symlink":
			link := filepath.Join(dir, d.args[0])
			if err = os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			if err = os.Symlink(expand(d.args[1]), link); err != nil {
				t.Fatal(err)
			}
		case "encode":
			encode(t, filepath.Join(dir, d.args[0]), d.args[1])
		case "write":
			if err = os.WriteFile(filepath.Join(dir, d.args[0]), []byte(strings.Join(d.args[1:], " ")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		case "nogood":
			nogood = true
		}
	}
	if exit < 0 {
		t.Fatal("want: no exit line")
	}
	// The last good site, with any seeded deploy files.
	if _, err = build.Run(build.Options{Source: good, Out: o.Out}); err != nil && !nogood {
		t.Fatalf("good build: %v", err)
	}
	for _, d := range want {
		if d.verb == "seed" {
			p := filepath.Join(o.Out, d.args[0])
			if err = os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err = os.WriteFile(p, []byte(strings.Join(d.args[1:], " ")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := snapshot(t, o.Out)
	var r *build.Result
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("build panicked: %v", p)
			}
		}()
		r, err = build.Run(o)
	}()
	if exit == 1 {
		if err == nil {
			t.Fatal("the build succeeded; want an error")
		}
		msg := strings.ReplaceAll(termsafe.Escape(err.Error()), dir, "$DIR")
		got := strings.Split(strings.ReplaceAll(msg, root, "$ROOT"), "\n")
		if !slices.Equal(got, wantErr) {
			t.Errorf("error:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantErr, "\n"))
		}
		if after := snapshot(t, o.Out); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Error("the failed build changed the last good site")
		}
		return
	}
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, d := range want {
		switch d.verb {
		case "periods:":
			if !slices.Equal(r.Model.Periods, d.args) {
				t.Errorf("periods %v, want %v", r.Model.Periods, d.args)
			}
		case "value":
			v, ok := r.Table.Value(d.args[0], dataset.All, d.args[1])
			if w, _ := strconv.ParseFloat(d.args[2], 64); !ok || v != w {
				t.Errorf("%s %s = %v (%v), want %s", d.args[0], d.args[1], v, ok, d.args[2])
			}
		case "segment":
			if !slices.Contains(r.Table.SegmentValues(d.args[0]), d.args[1]) {
				t.Errorf("segment %s has %q, want %q among them", d.args[0], r.Table.SegmentValues(d.args[0]), d.args[1])
			}
		case "contains", "absent":
			b, rerr := os.ReadFile(filepath.Join(o.Out, d.args[0]))
			if rerr != nil {
				t.Fatal(rerr)
			}
			text := strings.TrimPrefix(d.rest, d.args[0]+" ")
			if has := bytes.Contains(b, []byte(text)); has != (d.verb == "contains") {
				t.Errorf("%s: holds %q: %v, want %v", d.args[0], text, has, !has)
			}
		case "file", "nofile":
			_, serr := os.Stat(filepath.Join(o.Out, d.args[0]))
			if (serr == nil) != (d.verb == "file") {
				t.Errorf("%s: exists %v, want %v", d.args[0], serr == nil, d.verb == "file")
			}
		}
	}
}

// encode rewrites a fixture file as another program would have saved it.
func encode(t *testing.T, name, how string) {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	switch how {
	case "utf-16le", "utf-16be":
		u := utf16.Encode([]rune("\ufeff" + string(b)))
		for _, c := range u {
			if how == "utf-16le" {
				out = append(out, byte(c), byte(c>>8))
			} else {
				out = append(out, byte(c>>8), byte(c))
			}
		}
	case "latin-1":
		if out, err = charmap.ISO8859_1.NewEncoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	case "cr":
		out = bytes.ReplaceAll(b, []byte("\n"), []byte("\r"))
	default:
		t.Fatalf("encode %s: unknown encoding", how)
	}
	if err := os.WriteFile(name, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
