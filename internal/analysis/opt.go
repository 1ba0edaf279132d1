package analysis

import (
	"math"
	"strconv"
)

// Opt is a number that may be undefined (a zero denominator, a step not
// measured). Pages print an undefined value as "—"; JSON writes null. It
// never holds NaN or Inf.
type Opt struct {
	V  float64
	OK bool
}

// Some wraps a defined value; NaN and Inf become undefined.
func Some(v float64) Opt {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Opt{}
	}
	return Opt{V: v, OK: true}
}

// None is the undefined value.
var None = Opt{}

// Ratio returns a/b, undefined when b is zero or either is undefined.
func Ratio(a, b Opt) Opt {
	if !a.OK || !b.OK || b.V == 0 {
		return None
	}
	return Some(a.V / b.V)
}

// MarshalJSON writes the number in shortest round-trip form, or null.
func (o Opt) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, o.V, 'g', -1, 64), nil
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
