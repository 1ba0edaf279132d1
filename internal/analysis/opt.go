package analysis

import (
	"math"
	"strconv"
)

// Opt is a number that may be undefined (a zero denominator, a step not
// measured). Pages print an undefined value as "—"; JSON writes null. It
// never holds NaN or Inf.
//
// It is 8 bytes, not a float and a flag (16 with padding): a 400-page
// model holds over a hundred thousand transitions of about thirty numbers
// each. The bits are the float's XOR a NaN's, so the zero value, all
// bits clear, is undefined, and no defined value (never a NaN) has them.
type Opt struct{ bits uint64 }

// undefinedBits is the NaN the zero Opt stands for.
var undefinedBits = math.Float64bits(math.NaN())

// Some wraps a defined value; NaN and Inf become undefined.
func Some(v float64) Opt {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Opt{}
	}
	return Opt{bits: math.Float64bits(v) ^ undefinedBits}
}

// Maybe is Some(v) when ok, else None.
func Maybe(v float64, ok bool) Opt {
	if !ok {
		return None
	}
	return Some(v)
}

// OK reports whether the number is defined.
func (o Opt) OK() bool { return o.bits != 0 }

// V is the number, 0 when undefined.
func (o Opt) V() float64 {
	if o.bits == 0 {
		return 0
	}
	return math.Float64frombits(o.bits ^ undefinedBits)
}

// None is the undefined value.
var None = Opt{}

// Ratio returns a/b, undefined when b is zero or either is undefined.
func Ratio(a, b Opt) Opt {
	if !a.OK() || !b.OK() || b.V() == 0 {
		return None
	}
	return Some(a.V() / b.V())
}

// MarshalJSON writes the number as FormatNumber does, or null.
func (o Opt) MarshalJSON() ([]byte, error) {
	if !o.OK() {
		return []byte("null"), nil
	}
	return []byte(FormatNumber(o.V())), nil
}

// FormatNumber writes v in shortest round-trip form exactly as
// encoding/json writes a float64 (no exponent from 1e-6 to 1e21), so one
// number reads the same in every field of the export and in a spreadsheet.
func FormatNumber(v float64) string {
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, v, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (o *Opt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = None
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*o = Some(v)
	return nil
}

// rankDesc orders two values for a ranking: known values before unknown
// ones, then the larger first; 0 when both are unknown or equal, so the
// caller's next key decides.
func rankDesc(a, b Opt) int {
	switch {
	case a.OK() != b.OK():
		if a.OK() {
			return -1
		}
		return 1
	case !a.OK() || a.V() == b.V():
		return 0
	case a.V() > b.V():
		return -1
	}
	return 1
}
