package csvio

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/period"
)

// Fuzz targets: go test -fuzz=FuzzReadCSV -fuzztime=10s ./internal/csvio/
// (one target per run). Crashers land in testdata/fuzz/<target>/ and then
// run as regression seeds with every go test.

// FuzzReadCSV feeds arbitrary bytes to the CSV reader (BOM, encoding and
// delimiter detection, quoted newlines, ragged rows): it must return rows
// as wide as the header or an error with a file name, never panic.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"\xef\xbb\xbfperiod;metric;value\n2025-Q1;visits;1 234,5\n",
		"id\tstep\n1\t\"multi\nline\"\n",
		"\xcf\xe5\xf0\xe8\xee\xe4;x\n1;2\n", // Windows-1251 «Период»
		"a,b\n\"unterminated\n",
		"a,a\n1,2\n",
		",\n\n\n",
		"a|b\r\n1|2\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := Open("fuzz.csv", strings.NewReader(string(data)), Dialect{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for {
			rec, err := cf.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.csv") {
					t.Fatalf("error without the file name: %v", err)
				}
				return
			}
			if len(rec) != len(cf.Header) {
				t.Fatalf("row of %d fields under a header of %d", len(rec), len(cf.Header))
			}
			if cf.Line < 2 {
				t.Fatalf("row at line %d", cf.Line)
			}
		}
	})
}

// FuzzParseNumber: any text either fails or gives a finite number, and a
// plain formatted number reads back as itself.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1234.5", "1 234,5", "1\u00a0234,5", "1'234.5", "1,234.5", "0,18", "18%", "−5", "1.234.567", "1e308", "1e309", "-", "%", ",", "NaN", "Inf", "0x1p-2", "1_000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		back := fmt.Sprintf("%g", v)
		if w, err := ParseNumber(back); err != nil || w != v {
			t.Fatalf("ParseNumber(%q) = %v, but %q reads as %v, %v", s, v, back, w, err)
		}
	})
}

// FuzzParseDate: a date any layout accepts is a real calendar date whose
// fields read back to the same day; detection never panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-14", "14.03.2025", "14-03-2025 09:30", "3/14/2025 2:05 PM", "2025-03-14T09:30:00Z", "2024-02-29", "2025-02-29", "31.04.2025", "1/1/0000", "12.13.2025", "2025-03-14 25:00", "2025-03-14T09:30:00+03:00", "9999-12-31 23:59:60"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		det := NewDetector(nil)
		det.Observe(s)
		_, _ = det.Layout()
		_, _ = ParseDate(s)
		for _, l := range dateLayouts {
			ts, ok := l.Parse(s)
			if !ok {
				continue
			}
			tm := Timestamp(ts.Day() * 86400).Time()
			again := dayText(l, tm, "%d")
			day, ok := l.Parse(again)
			if !ok || day.Day() != ts.Day() {
				t.Fatalf("%s read %q as %s; %q reads back as %v, %v", l, s, tm.Format("2006-01-02"), again, day.Time(), ok)
			}
			_ = period.Of(ts.Time(), "week")
		}
	})
}
