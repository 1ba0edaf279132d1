package export

import (
	"strconv"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/analysis"
)

// The funnels and the diagnoses are nearly all of the JSON (13,000
// funnels and 2.6 million numbers on a 400-page site). encoding/json spends most of its time there
// on reflection and on re-validating what each analysis.Opt's MarshalJSON
// returns, so they are written by generated code (funnels_gen.go, from
// the model's json tags: go generate ./internal/export), byte for byte as
// encoding/json writes them (TestFunnelsEncodeAsEncodingJSON holds the
// two together, with every field set); the few kilobytes else in the
// document go through encoding/json. These are the helpers the generated code
// calls.

// metricUnit is the unit of metric i, "" when i is out of range.
func metricUnit(units []string, i int) string {
	if i >= 0 && i < len(units) {
		return units[i]
	}
	return ""
}

func appendOpt(b []byte, o analysis.Opt, p prec) []byte {
	if !o.OK() {
		return append(b, "null"...)
	}
	return p.appendNum(b, o.V())
}

// appendList appends xs as a JSON list, element i by one (nil is null,
// as encoding/json writes a nil slice): the one shape of every list the
// encoders write, generated ones included.
func appendList[T any](b []byte, xs []T, one func(b []byte, i int) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, i)
	}
	return append(b, ']')
}

func appendOpts(b []byte, os []analysis.Opt, p prec) []byte {
	return appendList(b, os, func(b []byte, i int) []byte { return appendOpt(b, os[i], p) })
}

// appendOptLists appends a list of lists of numbers (a grid's rows).
func appendOptLists(b []byte, oss [][]analysis.Opt, p prec) []byte {
	return appendList(b, oss, func(b []byte, i int) []byte { return appendOpts(b, oss[i], p) })
}

// appendBoolLists appends a list of lists of booleans.
func appendBoolLists(b []byte, bss [][]bool) []byte {
	return appendList(b, bss, func(b []byte, i int) []byte {
		return appendList(b, bss[i], func(b []byte, k int) []byte { return strconv.AppendBool(b, bss[i][k]) })
	})
}

// appendStrings appends a list of strings.
func appendStrings(b []byte, ss []string) []byte {
	return appendList(b, ss, func(b []byte, i int) []byte { return appendString(b, ss[i]) })
}

// appendMetrics appends a funnel's metric values, each rounded for its
// metric's unit.
func appendMetrics(b []byte, os []analysis.Opt, units []string) []byte {
	return appendList(b, os, func(b []byte, i int) []byte {
		return appendOpt(b, os[i], keyPrec("", "metrics", metricUnit(units, i)))
	})
}

// appendString quotes s as encoding/json does with HTML escaping off:
// quotes, backslashes and control characters escaped, U+2028 and U+2029
// as \u escapes, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
