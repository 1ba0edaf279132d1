package export

import (
	"math"
	"strconv"

	"github.com/funnel-report/funnel/internal/analysis"
)

// The export writes each number to the precision it carries, not the 17
// digits of a float64 (docs/export.md, "Precision"): noise digits were a
// third of funnel.json. One rule per kind of quantity, the same in the
// JSON and the CSV tables.
type prec uint8

const (
	sig6  prec = iota // rates, shares, changes, p-values: 6 significant digits
	whole             // observed counts: integers
	cents             // money and estimated clients or client-days: 2 decimals
	days              // durations in days or hours: 0.01
)

// pow10 holds the exact powers of ten a float64 can represent.
var pow10 = func() (p [23]float64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// round returns v rounded by p. Dividing the rounded integer by an exact
// power of ten gives the float64 nearest the decimal, whose shortest form
// is that decimal: 0.18451612903225806 → 0.184516.
func (p prec) round(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	var r float64
	switch p {
	case whole:
		r = math.Round(v)
	case cents, days:
		if math.Abs(v) >= 1e15 {
			return v // no decimals left to round
		}
		r = math.Round(v*100) / 100
	default:
		e := int(math.Floor(math.Log10(math.Abs(v)))) // v = d.ddd… × 10^e
		switch k := 5 - e; {
		case k >= len(pow10) || -k >= len(pow10):
			// Beyond the exact powers of ten (|v| < 1e-17 or ≥ 1e28):
			// through the decimal form.
			r, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
		case k >= 0:
			r = math.Round(v*pow10[k]) / pow10[k]
		default:
			r = math.Round(v/pow10[-k]) * pow10[-k]
		}
	}
	if r == 0 {
		return 0 // never -0
	}
	return r
}

// appendNum appends v rounded by p in the export's number form.
func (p prec) appendNum(b []byte, v float64) []byte {
	if out, ok := p.appendFast(b, v); ok {
		return out
	}
	return appendNumber(b, p.round(v))
}

// appendFast writes the bytes appendNumber(p.round(v)) writes, for the
// ordinary magnitudes, from the rounded integer itself: no logarithm to
// find the digits, no shortest-float search to print them (together a
// sixth of a 400-page build). ok is false outside those magnitudes.
//
// The decimal it prints is the shortest form of round's float64: that
// float is the one nearest the decimal, and no other decimal of as few
// digits is within half a unit of the last place of it while |v| stays
// below 1e13 (two decimals) or 1e14 (six significant digits).
func (p prec) appendFast(b []byte, v float64) ([]byte, bool) {
	if v == 0 {
		return b, false // round keeps a zero's sign
	}
	a := math.Abs(v)
	switch p {
	case whole:
		if !(a < 1e15) { // and NaN
			return b, false
		}
		return strconv.AppendInt(b, int64(math.Round(v)), 10), true
	case cents, days:
		if !(a < 1e13) {
			return b, false
		}
		return appendScaled(b, int64(math.Round(v*100)), 2), true
	}
	if !(a >= 1e-5 && a < 1e14) {
		return b, false
	}
	// k is 5 − e for v = d.ddddd × 10^e: the scale that puts six digits
	// before the point. A first guess from the binary exponent (a is a
	// normal float here: a = 1.f × 2^e2, and ⌊e2·log10 2⌋ is
	// (e2·78913) >> 18 for any exponent a float64 has), then corrected on
	// the product round computes anyway.
	e2 := int(math.Float64bits(a)>>52&0x7ff) - 1023
	k := 5 - (e2*78913)>>18
	var s float64
	for {
		s = scaleBy(a, k)
		switch {
		case s >= 1e6:
			k--
			continue
		case s < 1e5:
			k++
			continue
		}
		break
	}
	if k >= 0 {
		// round's math.Round(v·10^k): rounding is symmetric and so is
		// the product, so it is ±math.Round(s).
		n := uint64(math.Round(s))
		if v < 0 {
			b = append(b, '-')
		}
		return appendSix(b, n, k), true
	}
	// Seven digits or more before the point: a whole number.
	return strconv.AppendInt(b, int64(math.Round(v/pow10[-k])*pow10[-k]), 10), true
}

// appendSix appends n × 10^-k for the six significant digits of a sig6
// number (10^5 ≤ n ≤ 10^6, k ≥ 0), as appendScaled would: the digit count
// is known, so the six digits come from three pairs at fixed places and
// the point and the zeros before them are laid out around them, with no
// loop over digits (BenchmarkAppendNum).
func appendSix(b []byte, n uint64, k int) []byte {
	if n >= 1e6 { // rounded up to the next power of ten
		n /= 10
		k--
	}
	if k < 0 {
		return strconv.AppendUint(b, n*10, 10)
	}
	var d [6]byte
	putPair(d[0:], n/10000)
	putPair(d[2:], n/100%100)
	putPair(d[4:], n%100)
	end := 6 // the digits that stay: the trailing zeros after the point go
	for end > max(1, 6-k) && d[end-1] == '0' {
		end--
	}
	if k == 0 {
		return append(b, d[:]...)
	}
	if k < 6 { // 6−k digits before the point
		b = append(b, d[:6-k]...)
		if end > 6-k {
			b = append(b, '.')
			b = append(b, d[6-k:end]...)
		}
		return b
	}
	b = append(b, "0.0000000000000000"[:k-6+2]...) // "0." and the zeros before the digits
	return append(b, d[:end]...)
}

// scaleBy is a × 10^k as round computes it.
func scaleBy(a float64, k int) float64 {
	if k >= 0 {
		return a * pow10[k]
	}
	return a / pow10[-k]
}

// appendScaled appends the decimal n × 10^-k (k ≥ 0) with no trailing
// zeros after the point, and "0" for zero (never "-0"). The digits are
// written once, right to left, two at a time: a funnel.json has millions
// of numbers, and strconv.AppendInt into a buffer, then copied around the
// point, made a number 10% slower (BenchmarkAppendNum).
func appendScaled(b []byte, n int64, k int) []byte {
	if n == 0 {
		return append(b, '0')
	}
	u := uint64(n)
	if n < 0 {
		b = append(b, '-')
		u = -u
	}
	for k > 0 && u%10 == 0 {
		u /= 10
		k--
	}
	var buf [24]byte
	i := len(buf)
	if k > 0 {
		// The k digits after the point, zeros in front when u is short.
		for k >= 2 && u >= 10 {
			i -= 2
			putPair(buf[i:], u%100)
			u /= 100
			k -= 2
		}
		for ; k > 0; k-- {
			i--
			buf[i] = byte('0' + u%10)
			u /= 10
		}
		i--
		buf[i] = '.'
	}
	for u >= 100 {
		i -= 2
		putPair(buf[i:], u%100)
		u /= 100
	}
	switch {
	case u >= 10:
		i -= 2
		putPair(buf[i:], u)
	case u > 0 || buf[i] == '.': // a lone digit, or the 0 of "0.5"
		i--
		buf[i] = byte('0' + u)
	}
	return append(b, buf[i:]...)
}

// putPair writes the two digits of d < 100.
func putPair(b []byte, d uint64) {
	b[0], b[1] = digitPairs[d*2], digitPairs[d*2+1]
}

// digitPairs is "00" to "99", for writing two digits at a time.
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// unitPrec is the precision of a value in unit (a metric's unit, or a
// finding value's).
func unitPrec(unit string) prec {
	switch unit {
	case "money", "client_days", "count":
		// A finding's "count" is an estimate (extra clients, clients
		// lost); observed counts are whole and stay so.
		return cents
	case "days", "hours":
		return days
	case "rank":
		return whole
	}
	return sig6
}

// keyPrec is the precision of a number under key, in an object that is
// an element of (or the value of) parent; unit is the object's "unit"
// field, if any, else the unit of the metric it is about ("" if none).
func keyPrec(parent, key, unit string) prec {
	switch key {
	case "counts", "prev_counts", "drop", "n", "window_n", "window_k", "entered", "converted":
		return whole
	case "gain", "extra", "gain_value", "gain_value_low", "gain_value_high", "lost", "loss", "segment_loss", "load", "revenue":
		return cents
	case "median", "p90", "excess", "days", "age", "max_days",
		"min", "q1", "q3", "horizon_days", "window_days", "estimate":
		return days
	case "reference":
		if parent == "durations" || parent == "drawn_out" {
			return days
		}
	case "value", "target", "prev", "change", "metrics":
		if unit != "" {
			return unitPrec(unit)
		}
	}
	return sig6
}

// roundJSON copies the JSON src (as encoding/json writes it, compact) to
// dst with every number that has a fraction or an exponent rounded by
// keyPrec; integers are copied as they are. units are the model's metric
// units, for the "metric" index of a KPI and the funnel's "metrics" list.
func roundJSON(dst, src []byte, units []string) []byte {
	r := &rounder{dst: dst, units: units, stack: make([]jsonFrame, 0, 16)}
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '"':
			i = r.str(src, i)
		case c == '-' || c >= '0' && c <= '9':
			i = r.number(src, i)
		default:
			r.punct(c)
			i++
		}
	}
	return r.dst
}

// jsonFrame is one open object or array of the document being rounded.
type jsonFrame struct {
	obj    bool
	key    string // object: the current key; array: the key the array is the value of
	parent string // the key this container is (an element of) the value of
	unit   string // object: its "unit" string or its "metric"'s unit
	index  int    // array: the current element
}

// rounder copies a JSON document to dst, knowing at every number the key
// it is under (roundJSON).
type rounder struct {
	dst       []byte
	units     []string
	stack     []jsonFrame
	expectKey bool
}

// top is the innermost open container (zero at the top level).
func (r *rounder) top() jsonFrame {
	if n := len(r.stack); n > 0 {
		return r.stack[n-1]
	}
	return jsonFrame{}
}

// str copies the string starting at src[i], noting it as the current key
// or an object's unit; it returns the index past it.
func (r *rounder) str(src []byte, i int) int {
	j := i + 1
	for j < len(src) && src[j] != '"' {
		if src[j] == '\\' {
			j++
		}
		j++
	}
	j++ // past the closing quote
	if n := len(r.stack); n > 0 && r.stack[n-1].obj {
		top := &r.stack[n-1]
		if r.expectKey {
			top.key = string(src[i+1 : j-1])
		} else if top.key == "unit" {
			top.unit = string(src[i+1 : j-1])
		}
	}
	r.dst = append(r.dst, src[i:j]...)
	r.expectKey = false
	return j
}

// punct copies a structural character, opening and closing containers.
func (r *rounder) punct(c byte) {
	switch c {
	case '{', '[':
		// The container is the value of the enclosing object's current
		// key, or an element of an array under that key.
		key := r.top().key
		if c == '{' {
			r.stack = append(r.stack, jsonFrame{obj: true, parent: key})
			r.expectKey = true
		} else {
			r.stack = append(r.stack, jsonFrame{key: key, parent: key})
		}
	case '}', ']':
		r.stack = r.stack[:len(r.stack)-1]
	case ',':
		if n := len(r.stack); n > 0 {
			if r.stack[n-1].obj {
				r.expectKey = true
			} else {
				r.stack[n-1].index++
			}
		}
	}
	r.dst = append(r.dst, c)
}

// number copies the number starting at src[i], rounded by its key when it
// has a fraction or an exponent; a KPI's "metric" index sets the unit of
// its object. It returns the index past it.
func (r *rounder) number(src []byte, i int) int {
	j, frac := numberEnd(src, i)
	tok := src[i:j]
	top := r.top()
	if top.obj && top.key == "metric" {
		if k, err := strconv.Atoi(string(tok)); err == nil && k >= 0 && k < len(r.units) {
			r.stack[len(r.stack)-1].unit = r.units[k]
		}
	}
	if frac {
		unit := top.unit
		if !top.obj && top.key == "metrics" && top.index < len(r.units) {
			unit = r.units[top.index]
		}
		if v, err := strconv.ParseFloat(string(tok), 64); err == nil {
			r.dst = keyPrec(top.parent, top.key, unit).appendNum(r.dst, v)
			return j
		}
	}
	r.dst = append(r.dst, tok...)
	return j
}

// numberEnd is the index past the number starting at src[i]; frac says
// it has a fraction or an exponent.
func numberEnd(src []byte, i int) (j int, frac bool) {
	for j = i; j < len(src); j++ {
		switch c := src[j]; {
		case c == '.' || c == 'e' || c == 'E':
			frac = true
		case c == '-' || c == '+' || c >= '0' && c <= '9':
		default:
			return j, frac
		}
	}
	return j, frac
}

// metricUnits lists the units of the model's metrics by index.
func metricUnits(m *analysis.Model) []string {
	out := make([]string, len(m.Metrics))
	for i, x := range m.Metrics {
		out[i] = x.Unit
	}
	return out
}
