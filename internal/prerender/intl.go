package prerender

import (
	"math"
	"strconv"
	"strings"
)

// intlFormat formats v as the browser's Intl.NumberFormat does for the
// options site.js uses: the locale's separators ("ru-RU": no-break space
// and comma; "en-US": comma and point), between minFrac and maxFrac
// decimals, rounded half away from zero on the shortest decimal form of
// v (as ICU does: 1.005 → 1.01), grouped from four digits ("true") or
// from five ("min2"), a hyphen-minus for negatives. goja has no Intl
// (dop251/goja#7); the formatters the chart labels use call this instead.
func intlFormat(locale string, minFrac, maxFrac int, grouping string, v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		if v < 0 {
			return "-∞"
		}
		return "∞"
	}
	group, decimal := ",", "."
	if strings.HasPrefix(locale, "ru") {
		group, decimal = "\u00a0", ","
	}
	maxFrac = max(maxFrac, minFrac)
	intPart, frac := roundHalfExpand(strconv.FormatFloat(math.Abs(v), 'f', -1, 64), maxFrac)
	frac = strings.TrimRight(frac, "0")
	for len(frac) < minFrac {
		frac += "0"
	}
	var b strings.Builder
	if math.Signbit(v) {
		b.WriteString("-")
	}
	minDigits := 4
	switch grouping {
	case "false":
		minDigits = math.MaxInt
	case "min2":
		minDigits = 5
	}
	for i, c := range intPart {
		if len(intPart) >= minDigits && i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// roundHalfExpand rounds a non-negative decimal string to digits
// decimals, half away from zero, and returns its integer and fraction.
func roundHalfExpand(s string, digits int) (string, string) {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= digits {
		return intPart, frac
	}
	up := frac[digits] >= '5'
	num := []byte(intPart + frac[:digits])
	if up {
		i := len(num) - 1
		for ; i >= 0; i-- {
			if num[i] == '9' {
				num[i] = '0'
				continue
			}
			num[i]++
			break
		}
		if i < 0 {
			num = append([]byte{'1'}, num...)
		}
	}
	n := len(num) - digits
	return string(num[:n]), string(num[n:])
}
