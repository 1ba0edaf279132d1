package csvio

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// expectDate checks that a text reads, in whichever layout fits, as the
// wanted "YYYY-MM-DD HH:MM:SS".
func expectDate(t *testing.T, s, want string) {
	t.Helper()
	ts, err := ParseDate(s)
	if err != nil {
		t.Errorf("ParseDate(%q): %v, want %s", s, err, want)
		return
	}
	if got := ts.Time().Format("2006-01-02 15:04:05"); got != want {
		t.Errorf("ParseDate(%q) = %s, want %s", s, got, want)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2025-03-14", "2025-03-14 00:00:00"},
		{"14.03.2025", "2025-03-14 00:00:00"},
		{"14-03-2025 09:30", "2025-03-14 09:30:00"},
		{"3/14/2025 2:05 PM", "2025-03-14 14:05:00"},
		{"3/14/2025, 12:05 AM", "2025-03-14 00:05:00"},
		{"2025-03-14T09:30:15Z", "2025-03-14 09:30:15"},
		{"2025-03-14T09:30:15.250+03:00", "2025-03-14 09:30:15"},
		{" 29.02.2024 ", "2024-02-29 00:00:00"},
		{"31.12.2025 23:59:60", "2025-12-31 23:59:59"}, // a leap second stays on its day
		{"14.03.2025 9:05", "2025-03-14 09:05:00"},
	} {
		expectDate(t, tc.in, tc.want)
	}
	for _, bad := range []string{"", "2025-02-29", "31.04.2025", "14.03.25", "2025-3-14-1", "14.03.2025 24:00", "14.03.2025 9", "14.03.2025 x", "3/14/2025 13:00 PM", "20250314", "14 марта 2025"} {
		if ts, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", bad, ts.Time())
		}
	}
	if _, err := ParseDate("03/04/2025"); err == nil {
		t.Error("03/04/2025 read without complaint: it is D/M or M/D")
	}
}

func TestParseDateFormat(t *testing.T) {
	for _, tc := range []struct{ format, in, want string }{
		{"DD.MM.YYYY", "03.04.2025", "2025-04-03"},
		{"dd/mm/yyyy", "03/04/2025", "2025-04-03"},
		{"M/D/YYYY", "03/04/2025", "2025-03-04"},
		{"MM-DD-YYYY", "03-04-2025", "2025-03-04"},
		{"YYYY/MM/DD", "2025/03/04", "2025-03-04"},
		{"DD-MM-YYYY HH:MM", "03-04-2025 10:00", "2025-04-03"},
	} {
		l, err := ParseDateFormat(tc.format)
		if err != nil {
			t.Errorf("%s: %v", tc.format, err)
			continue
		}
		ts, ok := l.Parse(tc.in)
		if got := ts.Time().Format("2006-01-02"); !ok || got != tc.want {
			t.Errorf("%s reads %q as %s (%v), want %s", tc.format, tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "YYYY", "DD.MM", "YY.MM.DD", "DD.MM.YYYY.HH", "MM/MM/YYYY"} {
		if _, err := ParseDateFormat(bad); err == nil {
			t.Errorf("ParseDateFormat(%q) accepted", bad)
		}
	}
}

// Detection narrows per value; a value no remaining layout reads leaves
// the candidates alone (it is a bad cell, reported by the row pass).
func TestDateDetector(t *testing.T) {
	d := NewDetector(nil)
	for _, v := range []string{"03/04/2025", "not a date", "05/06/2025"} {
		d.Observe(v)
	}
	if _, err := d.Layout(); err == nil {
		t.Fatal("03/04 and 05/06 decided a layout")
	}
	d.Observe("12/25/2025 10:00")
	if l, err := d.Layout(); err != nil || l.String() != "M/D/YYYY" {
		t.Errorf("after 12/25: %v, %v; want M/D/YYYY", l, err)
	}
	if d.Observe("25/12/2025") {
		t.Error("25/12/2025 accepted once the column is month-first")
	}
}

// FuzzParseFixedMatchesAny: the fixed-position reading of a ten-byte date
// gives parseAny's answer whenever it gives one, for every layout.
func FuzzParseFixedMatchesAny(f *testing.F) {
	for _, s := range []string{"2025-03-14", "14.03.2025", "03/14/2025", "2024-02-29", "2025-02-29", "31.04.2025", "0000-01-01", "9999-12-31",
		"2025-3-14 ", " 2025-3-14", "2025-03-1x", "1-2-345678", "12/31/1999", "00.00.0000", "2025/03/14", "+025-03-14"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range dateLayouts {
			want, wantOK := l.parseAny(s)
			got, ok := l.Parse(s)
			if got != want || ok != wantOK {
				t.Fatalf("%s: Parse(%q) = %d, %v; parseAny says %d, %v", l, s, got, ok, want, wantOK)
			}
		}
	})
}

// Every day of four centuries, in every layout, written with two-digit
// day and month: the fixed reading and parseAny agree (and read the day).
func TestParseFixedEveryDay(t *testing.T) {
	for day := int64(-100 * 366); day < 300*366; day++ {
		tm := Timestamp(day * 86400).Time()
		for _, l := range dateLayouts {
			s := dayText(l, tm, "%02d")
			got, ok, sure := l.parseFixed(s)
			want, wantOK := l.parseAny(s)
			if !sure || !ok || got != want || !wantOK || got.Day() != day {
				t.Fatalf("%s: %q: fixed %d %v %v, parseAny %d %v, want day %d", l, s, got, ok, sure, want, wantOK, day)
			}
		}
	}
}

// dayText writes tm's day in layout l; mdy writes month and day with the
// verb mdy ("%d" as in the US, "%02d" padded).
func dayText(l DateLayout, tm time.Time, mdy string) string {
	switch l.order {
	case ymd:
		return fmt.Sprintf("%04d%c%02d%c%02d", tm.Year(), l.sep, tm.Month(), l.sep, tm.Day())
	case dmy:
		return fmt.Sprintf("%02d%c%02d%c%04d", tm.Day(), l.sep, tm.Month(), l.sep, tm.Year())
	}
	return fmt.Sprintf(mdy+"%c"+mdy+"%c%04d", tm.Month(), l.sep, tm.Day(), l.sep, tm.Year())
}

func BenchmarkDateParse(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	dates := make([]string, 4096)
	for i := range dates {
		dates[i] = Timestamp((19000 + rng.Int64N(1100)) * 86400).Time().Format("2006-01-02")
	}
	for _, c := range []struct {
		name  string
		parse func(string) (Timestamp, bool)
	}{{"fixed", ISODate.Parse}, {"any", ISODate.parseAny}} {
		b.Run(c.name, func(b *testing.B) {
			var sum Timestamp
			for i := 0; b.Loop(); i++ {
				ts, _ := c.parse(dates[i&4095])
				sum += ts
			}
			_ = sum
		})
	}
}
