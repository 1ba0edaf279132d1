// Package i18n holds the site languages: UI strings, number, percent and
// period formats for Russian and English.
package i18n

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/funnel-report/funnel/internal/period"
)

// Locale formats for one language.
type Locale struct {
	Lang    string
	dict    map[string]string
	group   string // thousands separator
	decimal string
	dims    map[string]string // project names of dimensions
}

// WithDims returns a copy of l that names dimensions as the project does
// (funnel.yaml segment_names) before falling back to the built-in labels.
func (l *Locale) WithDims(names map[string]string) *Locale {
	c := *l
	c.dims = names
	return &c
}

// For returns the locale of "ru" or "en" (anything else: en).
func For(lang string) *Locale {
	if lang == "ru" {
		// NBSP groups digits so a number never breaks across lines.
		return &Locale{Lang: "ru", dict: ru, group: "\u00a0", decimal: ","}
	}
	return &Locale{Lang: "en", dict: en, group: ",", decimal: "."}
}

// T returns the UI string for key; a missing key shows itself, so a gap
// is visible in review rather than blank.
func (l *Locale) T(key string) string {
	if s, ok := l.dict[key]; ok {
		return s
	}
	if s, ok := en[key]; ok {
		return s
	}
	return key
}

// Tf formats the UI string for key with args.
func (l *Locale) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Dash is what an undefined number prints as.
const Dash = "—"

// Num formats v with prec decimals and grouped thousands: 12 345,6 / 12,345.6.
func (l *Locale) Num(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Dash
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', prec, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	// Russian typography leaves four-digit numbers ungrouped (1234, 12 345).
	grouped := len(intPart) > 4 || len(intPart) == 4 && l.Lang == "en"
	for i, c := range intPart {
		if grouped && i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(l.group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(l.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// Int formats a count.
func (l *Locale) Int(v float64) string { return l.Num(math.Round(v), 0) }

// Pct formats a fraction as a percent with one decimal: 0.18 → 18,0%.
// Small non-zero values get more decimals (up to four) until a digit
// shows, so 0.0005 prints 0,05% and not a misleading 0,0%.
func (l *Locale) Pct(v float64) string { return l.Num(v*100, PctDigits(v)) + "%" }

// PctDigits is how many decimals Pct uses for v: one, or up to four for
// small non-zero percents. site.js mirrors it.
func PctDigits(v float64) int {
	a := math.Abs(v * 100)
	d := 1
	for d < 4 && a >= 0.00005 && a < math.Pow(10, -float64(d)) {
		d++
	}
	return d
}

// PP formats a difference of fractions in percentage points, signed.
func (l *Locale) PP(v float64) string {
	d := min(PctDigits(v), 2) // a change of 0,0004 p.p. is noise
	s := l.Num(v*100, d)
	if v > 0 && s != l.Num(0, d) {
		s = "+" + s
	}
	return s + "\u00a0" + l.T("pp")
}

var monthsRU = []string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
var monthsEN = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var romans = []string{"I", "II", "III", "IV"}

// Period names a period label for humans: 2025-Q3 → "III кв. 2025" /
// "Q3 2025", 2025-03 → "март 2025" / "Mar 2025", 2025-W07 → "нед. 7, 2025"
// (abbreviated, so "Отчёт за нед. 7" needs no declension). Unknown labels stay.
func (l *Locale) Period(p string) string {
	kind, ord := period.Parse(p)
	switch kind {
	case period.Month:
		y, m := ord/12, ord%12
		if l.Lang == "ru" {
			return fmt.Sprintf("%s %d", monthsRU[m], y)
		}
		return fmt.Sprintf("%s %d", monthsEN[m], y)
	case period.Quarter:
		y, q := ord/4, ord%4
		if l.Lang == "ru" {
			return fmt.Sprintf("%s кв. %d", romans[q], y)
		}
		return fmt.Sprintf("Q%d %d", q+1, y)
	case period.Week:
		y, w := p[:4], p[6:]
		if l.Lang == "ru" {
			return fmt.Sprintf("нед. %s, %s", strings.TrimLeft(w, "0"), y)
		}
		return fmt.Sprintf("week %s, %s", strings.TrimLeft(w, "0"), y)
	}
	return p
}

// PeriodUnit names the granularity for "per quarter" style sentences.
func (l *Locale) PeriodUnit(p string) string {
	kind, _ := period.Parse(p)
	switch kind {
	case period.Month:
		return l.T("per_month")
	case period.Quarter:
		return l.T("per_quarter")
	case period.Week:
		return l.T("per_week")
	case period.Year:
		return l.T("per_year")
	}
	return l.T("per_period")
}

// Dim names a segment dimension (a CSV column) for humans: "region" →
// "Регион"; unknown names stay as they are.
func (l *Locale) Dim(name string) string {
	if s, ok := l.dims[name]; ok && s != "" {
		return s
	}
	if s, ok := l.dict["dim_"+name]; ok {
		return s
	}
	return name
}

// Value formats a metric value by its unit: days and hours with their
// abbreviation, money with the currency, scores with two decimals.
func (l *Locale) Value(v float64, unit, currency string) string {
	switch unit {
	case "count":
		return l.Int(v)
	case "percent":
		return l.Pct(v)
	case "ratio", "score5":
		return l.Num(v, 2)
	case "days":
		return l.Num(v, 1) + "\u00a0" + l.T("unit_days")
	case "hours":
		return l.Num(v, 1) + "\u00a0" + l.T("unit_hours")
	case "money":
		return l.Money(v, currency)
	case "nps":
		return l.Num(v, 0)
	}
	return l.Num(v, 1)
}

// Prose formats a metric value for a sentence of commentary: a duration
// without a trailing zero and with its full word — «11 дней», «11,5 дня»,
// «1 день»; "11 days", "1 day" — where a table cell abbreviates
// («11,0 дн.»). Other units read as in a table (Value).
func (l *Locale) Prose(v float64, unit, currency string) string {
	words, ok := proseUnits[l.Lang][unit]
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return l.Value(v, unit, currency)
	}
	r := math.Round(v*10) / 10
	if r != math.Trunc(r) {
		// A fraction takes the genitive singular in Russian (1,5 дня)
		// and the plural in English (1.5 days).
		return l.Num(r, 1) + "\u00a0" + words[1]
	}
	k := int64(math.Abs(r))
	form := 2 // many: 0, 5–20, 11–14, 25…
	switch {
	case k%10 == 1 && k%100 != 11:
		form = 0
	case l.Lang == "ru" && k%10 >= 2 && k%10 <= 4 && (k%100 < 12 || k%100 > 14):
		form = 1
	}
	if l.Lang != "ru" && k != 1 {
		form = 2
	}
	return l.Num(r, 0) + "\u00a0" + words[form]
}

// proseUnits are the words of a duration by language and unit: the forms
// for one, few (Russian 2–4, and any fraction) and many.
var proseUnits = map[string]map[string][3]string{
	"ru": {"days": {"день", "дня", "дней"}, "hours": {"час", "часа", "часов"}},
	"en": {"days": {"day", "days", "days"}, "hours": {"hour", "hours", "hours"}},
}

// prefixed are the currency signs English writes before the amount
// ($544,417); codes and other signs follow it (544,417 EUR). Russian
// writes every currency after the amount (544 417 ₽, 544 417 $).
var prefixed = map[string]bool{"$": true, "€": true, "£": true, "¥": true, "US$": true, "A$": true, "C$": true}

// Money formats a whole amount with its currency as the locale writes it:
// $544,417 and 544,417 EUR; 544 417 ₽.
func (l *Locale) Money(v float64, currency string) string {
	return l.withCurrency(v, l.Int(math.Abs(v)), currency, "\u00a0")
}

// MoneyShort rounds a large amount to millions or billions, as a
// consultant would say it: $3M, $183.5M; 3 млн ₽, 183,5 млн ₽.
func (l *Locale) MoneyShort(v float64) func(currency string) string {
	return func(currency string) string {
		a := math.Abs(v)
		ru := l.Lang == "ru"
		var s string
		switch {
		case a >= 1e9:
			s = l.Num(a/1e9, trim1(a/1e9)) + map[bool]string{true: "\u00a0млрд", false: "bn"}[ru]
		case a >= 1e6:
			s = l.Num(a/1e6, trim1(a/1e6)) + map[bool]string{true: "\u00a0млн", false: "M"}[ru]
		default:
			s = l.Int(a)
		}
		return l.withCurrency(v, s, currency, "\u00a0") // never "183,5 млн" / "₽" on two lines
	}
}

// trim1 is the decimals for a rounded amount: none when one decimal
// would print .0 (3M, not 3.0M), else one.
func trim1(v float64) int {
	if math.Abs(math.Round(v*10)-math.Round(v)*10) < 1e-9 {
		return 0
	}
	return 1
}

// withCurrency places the currency and the sign around an amount
// (formatted without its sign); sep goes between amount and a trailing
// currency (tables keep them on one line, sentences as they always were).
func (l *Locale) withCurrency(v float64, amount, currency, sep string) string {
	sign := ""
	if v < 0 && strings.Trim(amount, "0.,\u00a0") != "" {
		sign = "−"
	}
	switch {
	case currency == "":
		return sign + amount
	case l.Lang == "en" && prefixed[currency]:
		return sign + currency + amount
	}
	return sign + amount + sep + currency
}

// PPAbs formats the size of a difference of fractions in percentage
// points, without a sign: "4,1 п. п." (a fall the words already name).
func (l *Locale) PPAbs(v float64) string {
	d := min(PctDigits(v), 2)
	return l.Num(math.Abs(v)*100, d) + "\u00a0" + l.T("pp")
}

// MoneyRange prints an interval of amounts with one unit, as a
// consultant writes it: "137,7–224,4 млн ₽", "$137.7M–$224.4M" is
// written "$137.7–224.4M". Amounts of different magnitudes keep their
// own units.
func (l *Locale) MoneyRange(lo, hi float64, currency string) string {
	scale, ru := 0.0, l.Lang == "ru"
	var unit string
	switch a, b := math.Abs(lo), math.Abs(hi); {
	case a >= 1e9 && b >= 1e9:
		scale, unit = 1e9, map[bool]string{true: "\u00a0млрд", false: "bn"}[ru]
	case a >= 1e6 && b >= 1e6 && a < 1e9 && b < 1e9:
		scale, unit = 1e6, map[bool]string{true: "\u00a0млн", false: "M"}[ru]
	}
	if scale == 0 {
		return l.MoneyShort(lo)(currency) + "–" + l.MoneyShort(hi)(currency)
	}
	x, y := lo/scale, hi/scale
	d := max(trim1(x), trim1(y))
	return l.withCurrency(lo, l.Num(x, d)+"–"+l.Num(y, d)+unit, currency, "\u00a0")
}

// PctColumnDigits is the decimals a column of percents (fractions) gets:
// what its smallest non-zero value needs for two significant digits
// under 1%, one decimal otherwise, at most two — one precision for the
// whole column, so 0,10% sits beside 0,06% and 0,54% is not 0,49%.
func PctColumnDigits(vs []float64) int {
	d := 1
	for _, v := range vs {
		a := math.Abs(v * 100)
		if a == 0 || math.IsNaN(a) || math.IsInf(a, 0) {
			continue
		}
		if a < 1 {
			d = 2
		}
	}
	return d
}

// PctN formats a fraction as a percent with d decimals; a non-zero value
// that would print as zero prints as its bound ("< 0,01%"), never a
// false "0,00%".
func (l *Locale) PctN(v float64, d int) string {
	if v != 0 && math.Abs(v*100) < 0.5*math.Pow(10, -float64(d)) {
		bound := l.Num(math.Pow(10, -float64(d)), d) + "%"
		if v < 0 {
			return "> −" + bound
		}
		return "< " + bound
	}
	return l.Num(v*100, d) + "%"
}

// IntGrouped formats a whole number with its thousands always grouped:
// Russian "1 104" when it shares a column with "26 672".
func (l *Locale) IntGrouped(v float64) string {
	s := l.Int(v)
	if l.Lang != "ru" {
		return s
	}
	digits := strings.TrimPrefix(s, "−")
	if len(digits) != 4 || strings.ContainsAny(digits, "\u00a0,") {
		return s
	}
	return strings.TrimSuffix(s, digits) + digits[:1] + l.group + digits[1:]
}

// PctRange formats an interval of fractions as a typographic range with
// one percent sign: "15,9–21,4%".
func (l *Locale) PctRange(lo, hi float64) string {
	d := max(PctDigits(lo), PctDigits(hi))
	return l.Num(lo*100, d) + "–" + l.Num(hi*100, d) + "%"
}
