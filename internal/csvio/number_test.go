package csvio

import (
	"math"
	"strconv"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"1234.5", 1234.5},
		{"1 234,5", 1234.5},
		{"1\u00a0234,5", 1234.5},
		{"1\u202f234,5", 1234.5},
		{"1'234.5", 1234.5},
		{"1,234.5", 1234.5},
		{"1.234,5", 1234.5},
		{"1,234,567", 1234567},
		{"1.234.567", 1234567},
		{"0,18", 0.18},
		{"18%", 0.18},
		{"18,5 %", 0.185},
		{"−5", -5},
		{" 42 ", 42},
	} {
		got, err := ParseNumber(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "abc", "1,2k", "NaN", "Inf", "1e999", "-", "%", "12-3"} {
		if v, err := ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", bad, v)
		}
	}
}

// FuzzPlainInt: the digit fast path answers exactly as strconv does,
// bit for bit, whenever it answers.
func FuzzPlainInt(f *testing.F) {
	for _, s := range []string{"0", "007", "123456789012345", "1234567890123456", "-0", "+1", "1_000", "٣", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := plainInt(s)
		if !ok {
			return
		}
		w, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(v) != math.Float64bits(w) {
			t.Fatalf("plainInt(%q) = %v, strconv says %v, %v", s, v, w, err)
		}
	})
}
