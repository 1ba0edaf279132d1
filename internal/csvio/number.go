package csvio

import (
	"math"
	"strconv"
	"strings"
)

// ParseNumber reads a number the way spreadsheets export it: "1234.5",
// "1 234,5" (space, NBSP or narrow NBSP as thousands), "1,234.5",
// "1'234.5", "1234,5" (decimal comma), "18%" (→ 0.18), "−5" (Unicode
// minus). A lone comma is a decimal comma: Russian Excel writes 0,18; an
// English export quotes "1,234" only with a second group or a dot.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrEmpty
	}
	if v, ok := plainInt(s); ok {
		return v, nil
	}
	// Fast path: a plain number needs no rewriting.
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, ErrNotNumber
		}
		return v, nil
	}
	pct := false
	if strings.HasSuffix(s, "%") {
		pct = true
		s = strings.TrimSpace(s[:len(s)-1])
	}
	t := plainNumber(s)
	if t == "" || t == "-" {
		return 0, ErrNotNumber
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrNotNumber
	}
	if pct {
		v /= 100
	}
	return v, nil
}

// plainNumber rewrites a spreadsheet number as strconv reads it: no
// thousands separators, an ASCII minus, a dot for the decimal separator.
func plainNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	commas, dots := 0, 0
	lastComma, lastDot := -1, -1
	for _, r := range s {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\'', '’':
			continue // thousands separators
		case '−', '–':
			r = '-'
		case ',':
			commas++
			lastComma = b.Len()
		case '.':
			dots++
			lastDot = b.Len()
		}
		b.WriteRune(r)
	}
	t := b.String()
	switch {
	case commas > 0 && dots > 0:
		if lastComma > lastDot { // 1.234,5
			t = strings.ReplaceAll(t, ".", "")
			t = strings.Replace(t, ",", ".", 1)
		} else { // 1,234.5
			t = strings.ReplaceAll(t, ",", "")
		}
	case commas == 1:
		t = strings.Replace(t, ",", ".", 1)
	case commas > 1: // 1,234,567
		t = strings.ReplaceAll(t, ",", "")
	case dots > 1: // 1.234.567
		t = strings.ReplaceAll(t, ".", "")
	}
	return t
}

// plainInt reads a count written as up to 15 ASCII digits, the common
// cell of a snapshot, without strconv: every such number is a float64
// exactly, so the result is strconv.ParseFloat's.
func plainInt(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	return float64(n), true
}
