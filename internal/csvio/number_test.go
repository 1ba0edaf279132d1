package csvio

import "testing"

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
