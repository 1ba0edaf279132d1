package csvio

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/funnel-report/funnel/internal/errpos"
)

// TestUTF8CheckedPastTheHead: the UTF-8 check by the block (utf8Watch)
// passes valid multi-byte text wherever a block boundary cuts a
// character, and still names the line and column of the first invalid
// cell, however the file is read.
func TestUTF8CheckedPastTheHead(t *testing.T) {
	var b strings.Builder
	b.WriteString("period,region,value\n")
	const rows = 4000 // ~160 KB: well past the 64 KB the detection peeks at
	for i := range rows {
		fmt.Fprintf(&b, "2025-%02d,Регион «Ёлка» №%d,%d\n", i%12+1, i, i)
	}
	valid := b.String()
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"halves":   iotest.HalfReader,
	}
	read := func(text string, wrap func(io.Reader) io.Reader) (int, error) {
		f, err := Open("s.csv", wrap(strings.NewReader(text)), Dialect{})
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			_, err := f.Next()
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			n++
		}
	}
	for name, wrap := range readers {
		if n, err := read(valid, wrap); err != nil || n != rows {
			t.Fatalf("%s: valid file: %d rows, %v", name, n, err)
		}
		// A Windows-1251 byte (0xC0, "А") in row 3000's region cell,
		// and a cut-off sequence at the very end of the file.
		line := 3001 + 1
		at := strings.Index(valid, "№3000,")
		bad := valid[:at] + "\xc0" + valid[at:]
		_, err := read(bad, wrap)
		var pe *errpos.Error
		if !errors.As(err, &pe) || pe.Line != line || pe.Column != "region" || !errors.Is(err, ErrNotUTF8) {
			t.Errorf("%s: bad cell: got %v, want line %d column region", name, err, line)
		}
		_, err = read(valid+"2025-01,x,1\xd0", wrap)
		if !errors.As(err, &pe) || pe.Line != rows+2 || !errors.Is(err, ErrNotUTF8) {
			t.Errorf("%s: cut sequence at the end: got %v, want line %d", name, err, rows+2)
		}
	}
}
