// Package period owns the arithmetic of period labels: the forms the tool
// recognises (2025-03, 2025-Q3, 2025-W07, 2025), their order, the label a
// date falls in, the labels missing between two, and how long a period
// lasts. Every other package asks here; none counts weeks itself.
//
// It reads no clock: time.Date and Time.ISOWeek are calendar arithmetic,
// so package analysis (pure, docs/design.md §8) may use it.
package period

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Kind is the granularity of a recognised period label.
type Kind int

const (
	Unknown Kind = iota
	Month
	Quarter
	Week
	Year
)

var kindNames = map[Kind]string{Unknown: "free-form label", Month: "month", Quarter: "quarter", Week: "ISO week", Year: "year"}

func (k Kind) String() string { return kindNames[k] }

// Parse returns the kind of a label and its ordinal within that kind
// (consecutive periods have consecutive ordinals, except weeks across a
// year end: see Serial). The forms, ASCII digits only: 2025-03 (month
// 01–12), 2025-Q3 (quarter 1–4), 2025-W07 (week 01–53), 2025; anything
// else is Unknown and keeps data order. Read by hand, not by regular
// expressions: every period cell of a file and every period label on
// every page comes through here.
func Parse(p string) (Kind, int) {
	if len(p) < 4 || !digits(p[:4]) {
		return Unknown, 0
	}
	y := int(p[0]-'0')*1000 + int(p[1]-'0')*100 + int(p[2]-'0')*10 + int(p[3]-'0')
	switch {
	case len(p) == 4:
		return Year, y
	case p[4] != '-':
	case len(p) == 7 && digits(p[5:7]):
		if m := two(p[5:7]); m >= 1 && m <= 12 {
			return Month, y*12 + m - 1
		}
	case len(p) == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4':
		return Quarter, y*4 + int(p[6]-'1')
	case len(p) == 8 && p[5] == 'W' && digits(p[6:8]):
		// Ordinal by 53-week years: good for ordering, and consecutive
		// within a year; Label skips the week 53 a year does not have.
		if w := two(p[6:8]); w >= 1 && w <= 53 {
			return Week, y*53 + w - 1
		}
	}
	return Unknown, 0
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func num(s string) int { n, _ := strconv.Atoi(s); return n }

// two is the number of two ASCII digits.
func two(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// Label is the inverse of Parse; "" for an ordinal that names no real
// period (week 53 of a 52-week ISO year).
func Label(kind Kind, ord int) string {
	switch kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", ord/12, ord%12+1)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", ord/4, ord%4+1)
	case Year:
		return fmt.Sprintf("%04d", ord)
	case Week:
		y, w := ord/53, ord%53+1
		if w > ISOWeeks(y) {
			return ""
		}
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	return ""
}

// Sort orders labels chronologically when all are of one recognised
// kind; otherwise it keeps the order the data gave.
func Sort(ps []string) []string {
	if len(ps) == 0 {
		return ps
	}
	kind, _ := Parse(ps[0])
	if kind == Unknown {
		return ps
	}
	for _, p := range ps {
		if k, _ := Parse(p); k != kind {
			return ps
		}
	}
	out := append([]string(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		_, a := Parse(out[i])
		_, b := Parse(out[j])
		return a < b
	})
	return out
}

// Missing lists the labels missing inside a chronological series of
// recognised periods of one kind (2024-Q1, 2024-Q3 → 2024-Q2). Labels of
// unknown or mixed kinds give none: their order is the data's.
func Missing(periods []string) []string {
	if len(periods) < 2 {
		return nil
	}
	kind, _ := Parse(periods[0])
	if kind == Unknown {
		return nil
	}
	var out []string
	for i := 1; i < len(periods); i++ {
		k0, a := Parse(periods[i-1])
		k1, b := Parse(periods[i])
		if k0 != kind || k1 != kind {
			return nil
		}
		for o := a + 1; o < b; o++ {
			if l := Label(kind, o); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// Loose shapes of period labels: a label of one of these shapes is meant
// as a period of that kind, so it is normalised (2024-q1 → 2024-Q1,
// 2024-3 → 2024-03) or, naming no real period (2024-13, 2024-Q5), an
// error. Either way one odd label can no longer turn off the ordering.
var (
	looseMonth   = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	looseQuarter = regexp.MustCompile(`^(\d{4})-[Qq](\d+)$`)
	looseWeek    = regexp.MustCompile(`^(\d{4})-[Ww](\d+)$`)
)

// Normalize returns the canonical form of a period label, or an error
// for a label shaped like a period that names none. Labels of no
// recognised shape (e.g. "Spring sale") are returned unchanged.
func Normalize(p string) (string, error) {
	if m := looseMonth.FindStringSubmatch(p); m != nil {
		if n := num(m[2]); n < 1 || n > 12 {
			return "", fmt.Errorf("no month %d: expected YYYY-MM with a month from 01 to 12", n)
		}
		return fmt.Sprintf("%s-%02d", m[1], num(m[2])), nil
	}
	if m := looseQuarter.FindStringSubmatch(p); m != nil {
		if n := num(m[2]); n < 1 || n > 4 || len(m[2]) > 1 {
			return "", fmt.Errorf("no quarter %s: expected YYYY-Q1 to YYYY-Q4", m[2])
		}
		return m[1] + "-Q" + m[2], nil
	}
	if m := looseWeek.FindStringSubmatch(p); m != nil {
		n := num(m[2])
		if n < 1 || n > 53 || len(m[2]) > 2 {
			return "", fmt.Errorf("no week %s: expected YYYY-W01 to YYYY-W53", m[2])
		}
		q := fmt.Sprintf("%s-W%02d", m[1], n)
		// Week 53 of a year with 52 ISO weeks would otherwise sort as if
		// it were the first week of the next year.
		if y := num(m[1]); n == 53 && ISOWeeks(y) < 53 {
			return q, fmt.Errorf("%d has %d ISO weeks: no week 53", y, ISOWeeks(y))
		}
		return q, nil
	}
	return p, nil
}

// ISOWeeks is the number of ISO weeks of a year, 52 or 53.
func ISOWeeks(year int) int {
	// December 28 is always in the last ISO week of its year.
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// Of labels the period a date falls in, at a granularity (month,
// quarter, week or year; anything else is a month).
func Of(t time.Time, granularity string) string {
	switch granularity {
	case "quarter":
		return strconv.Itoa(t.Year()) + "-Q" + strconv.Itoa((int(t.Month())+2)/3)
	case "week":
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case "year":
		return strconv.Itoa(t.Year())
	}
	return fmt.Sprintf("%04d-%02d", t.Year(), int(t.Month()))
}

// Serial is Parse with ISO weeks numbered by their real Monday, so that an
// age in periods is an age in weeks across year ends (2024-W52 → 2025-W01
// is one week; Parse's 53-week ordinal says two).
func Serial(p string) (Kind, int) {
	kind, ord := Parse(p)
	if kind != Week {
		return kind, ord
	}
	y, w := ord/53, ord%53+1
	// ISO week 1 holds 4 January; its Monday starts the year's weeks.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := DaysFromCivil(y, 1, 4) - int64((int(jan4.Weekday())+6)%7)
	// 1970-01-01 was a Thursday: day 0 + 3 is a Sunday ending week 0.
	return kind, int(floorDiv(monday+3, 7)) + w - 1
}

// Days is the length of one period of a recognised kind, in days (0 for
// free-form labels).
func Days(kind Kind) float64 {
	switch kind {
	case Week:
		return 7
	case Month:
		return 365.25 / 12
	case Quarter:
		return 365.25 / 4
	case Year:
		return 365.25
	}
	return 0
}

// DaysFromCivil is the day number of a proleptic Gregorian date,
// 0 = 1970-01-01 (Howard Hinnant's algorithm): no time.Date per cell on
// the million-row path of the records loader.
func DaysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := int64(y) - era*400
	mp := int64(m+9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
