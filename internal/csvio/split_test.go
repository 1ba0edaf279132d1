package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitterMatchesCSV holds the splitter to encoding/csv: for any
// bytes, delimiter, read-buffer size and read error, the same records,
// the same line and column of every field, the same error at the same
// record; and no row is handed out holding invalid UTF-8 before the
// UTF-8 watch knows of it (File.Next then checks every cell).
func FuzzSplitterMatchesCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"a,b\r\n1,2\r\n\r\n3,4",
		"a;b\n1;\"x;y\"\n2;3\n",
		"a,b\n1,2\n3,\"multi\nline\",4\n5,6\n",
		"a,b\n1,x\"y\n",
		"a,b\n\"unterminated\n1,2\n",
		"x\n\n\n\r\n\ry\r",
		"a,b\r\r\n1\r2,3\r",
		"a\tb\n\xff,\xfe\n",
		"a,b\n1,2\n" + strings.Repeat("long,", 30) + "\n9,9\n",
		"a,b,c\n,,\n,\n",
	} {
		for _, comma := range []byte{',', ';', '\t', '"', 0xC3} {
			f.Add([]byte(s), comma, uint16(16), uint16(0))
			f.Add([]byte(s), comma, uint16(4096), uint16(len(s)/2))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, comma byte, size, failAt uint16) {
		splitMatchesCSV(t, data, comma, size, failAt, false)
		// Borrowed: each block a few lines, overwritten once passed.
		defer StressBorrowed(1 + int(size)%61)()
		splitMatchesCSV(t, data, comma, size, failAt, true)
	})
}

// splitMatchesCSV is one FuzzSplitterMatchesCSV case, rows owned or
// borrowed.
func splitMatchesCSV(t *testing.T, data []byte, comma byte, size, failAt uint16, borrow bool) {
	var src io.Reader = bytes.NewReader(data)
	if failAt > 0 && int(failAt) < len(data) {
		src = io.MultiReader(bytes.NewReader(data[:failAt]), errReader{errDisk})
	}
	want := csv.NewReader(src)
	want.Comma, want.FieldsPerRecord, want.ReuseRecord = rune(comma), -1, true
	src = bytes.NewReader(data)
	if failAt > 0 && int(failAt) < len(data) {
		src = io.MultiReader(bytes.NewReader(data[:failAt]), errReader{errDisk})
	}
	watch := &utf8Watch{}
	got := newSplitter(bufio.NewReaderSize(src, int(size)), watch, rune(comma))
	got.borrow = borrow
	for n := 0; ; n++ {
		wrec, werr := want.Read()
		grec, gerr := got.Read()
		if werr != nil || gerr != nil {
			if !sameError(werr, gerr) {
				t.Fatalf("record %d: encoding/csv says %v, the splitter %v", n, werr, gerr)
			}
			return
		}
		if !reflect.DeepEqual(wrec, grec) {
			t.Fatalf("record %d (borrowed %v): encoding/csv reads %q, the splitter %q", n, borrow, wrec, grec)
		}
		for i := range wrec {
			wl, wc := want.FieldPos(i)
			if gl, gc := got.FieldPos(i); gl != wl || gc != wc {
				t.Fatalf("record %d field %d: encoding/csv places it at %d:%d, the splitter at %d:%d", n, i, wl, wc, gl, gc)
			}
			if !utf8.ValidString(grec[i]) && !watch.bad {
				t.Fatalf("record %d field %d: invalid UTF-8 %q handed out unseen", n, i, grec[i])
			}
		}
	}
}

var errDisk = errors.New("disk on fire")

func sameError(a, b error) bool {
	var pa, pb *csv.ParseError
	if errors.As(a, &pa) != errors.As(b, &pb) {
		return false
	}
	if pa != nil {
		return pa.StartLine == pb.StartLine && pa.Line == pb.Line && pa.Column == pb.Column && pa.Err == pb.Err
	}
	return a == b
}

// TestSplitterHandsOver: the lines after a quoted field, a line longer
// than the buffer or a read error keep their places.
func TestSplitterHandsOver(t *testing.T) {
	in := "a,b\n\n1,2\n\"x\ny\",3\n4,5\n" + strings.Repeat("z", 40) + ",6\n7,8\n"
	s := newSplitter(bufio.NewReaderSize(strings.NewReader(in), 16), nil, ',')
	type row struct {
		rec        string
		line, col1 int
	}
	var got []row
	for {
		rec, err := s.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		l, c := s.FieldPos(1)
		got = append(got, row{strings.Join(rec, "|"), l, c})
	}
	want := []row{{"a|b", 1, 3}, {"1|2", 3, 3}, {"x\ny|3", 5, 4}, {"4|5", 6, 3}, {strings.Repeat("z", 40) + "|6", 7, 42}, {"7|8", 8, 3}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

// TestSplitterKeepsPositionsOverEmptyLines: after empty lines and the
// end of the file, the last record's field positions are still there,
// as encoding/csv keeps them.
func TestSplitterKeepsPositionsOverEmptyLines(t *testing.T) {
	in := "a,b\n1,22\n\n\r\n"
	want := csv.NewReader(strings.NewReader(in))
	want.ReuseRecord = true
	got := newSplitter(bufio.NewReaderSize(strings.NewReader(in), 16), nil, ',')
	for {
		_, werr := want.Read()
		_, gerr := got.Read()
		if werr != nil || gerr != nil {
			if werr != gerr {
				t.Fatalf("encoding/csv says %v, the splitter %v", werr, gerr)
			}
			break
		}
	}
	for i := range 2 {
		wl, wc := want.FieldPos(i)
		if gl, gc := got.FieldPos(i); gl != wl || gc != wc {
			t.Fatalf("field %d at the end: %d:%d, encoding/csv says %d:%d", i, gl, gc, wl, wc)
		}
	}
}
