package csvio

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/period"
)

// dateOrder is the order of the year, month and day fields of a date.
type dateOrder uint8

const (
	ymd dateOrder = iota
	dmy
	mdy
)

// DateLayout is one way of writing a date: field order and separator. A
// time of day after the date ("14:05", "14:05:09", "2:05 PM", "T14:05Z")
// is always accepted, so one layout covers "DD-MM-YYYY" and
// "DD-MM-YYYY HH:MM".
type DateLayout struct {
	order dateOrder
	sep   byte
}

func (l DateLayout) String() string {
	s := string(l.sep)
	switch l.order {
	case ymd:
		return "YYYY" + s + "MM" + s + "DD"
	case dmy:
		return "DD" + s + "MM" + s + "YYYY"
	default:
		return "M" + s + "D" + s + "YYYY"
	}
}

// ISODate is YYYY-MM-DD.
var ISODate = DateLayout{ymd, '-'}

// dateLayouts are the layouts detection chooses from. Month-first with dots
// is left out: no spreadsheet writes it, and keeping it would make every
// Russian file with days ≤ 12 ambiguous.
var dateLayouts = []DateLayout{
	{ymd, '-'}, {ymd, '/'}, {ymd, '.'},
	{dmy, '.'}, {dmy, '-'}, {dmy, '/'},
	{mdy, '/'}, {mdy, '-'},
}

// ParseDateFormat reads a configured date_format: YYYY, MM (or M) and DD
// (or D) in year-month-day, day-month-year or month-day-year order with
// one separator ("-", ".", "/"), e.g. "DD.MM.YYYY", "M/D/YYYY". A time part
// after a space ("DD-MM-YYYY HH:MM") is allowed and ignored: times are
// always accepted.
func ParseDateFormat(s string) (DateLayout, error) {
	f := strings.ToUpper(strings.TrimSpace(s))
	if i := strings.IndexAny(f, " T"); i > 0 && strings.HasPrefix(f[i+1:], "HH") {
		f = f[:i]
	}
	bad := fmt.Errorf("date_format %q: want e.g. YYYY-MM-DD, DD.MM.YYYY, DD-MM-YYYY or M/D/YYYY", s)
	var sep byte
	for _, c := range []byte{'-', '.', '/'} {
		if strings.IndexByte(f, c) >= 0 {
			sep = c
			break
		}
	}
	if sep == 0 {
		return DateLayout{}, bad
	}
	parts := strings.Split(f, string(sep))
	if len(parts) != 3 {
		return DateLayout{}, bad
	}
	kind := func(p string) byte {
		switch p {
		case "YYYY":
			return 'y'
		case "MM", "M":
			return 'm'
		case "DD", "D":
			return 'd'
		}
		return 0
	}
	switch string([]byte{kind(parts[0]), kind(parts[1]), kind(parts[2])}) {
	case "ymd":
		return DateLayout{ymd, sep}, nil
	case "dmy":
		return DateLayout{dmy, sep}, nil
	case "mdy":
		return DateLayout{mdy, sep}, nil
	}
	return DateLayout{}, bad
}

// Timestamp is seconds since 1970-01-01 00:00 of the time as written (no
// time zone conversion: an offset in the text is accepted and ignored,
// which moves a duration by hours at most).
type Timestamp int64

// Day is the day number since 1970-01-01.
func (t Timestamp) Day() int64 {
	d := int64(t) / 86400
	if int64(t)%86400 < 0 {
		d--
	}
	return d
}

// Time returns the timestamp as a UTC time.
func (t Timestamp) Time() time.Time { return time.Unix(int64(t), 0).UTC() }

// Parse reads a date, with an optional time of day, in this layout.
func (l DateLayout) Parse(s string) (Timestamp, bool) {
	if len(s) == 10 {
		if ts, ok, sure := l.parseFixed(s); sure {
			return ts, ok
		}
	}
	return l.parseAny(s)
}

// parseFixed reads a date written with two-digit day and month and no
// time (YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY), the way almost every export
// writes them, in one pass over fixed positions; sure is false when s is
// not written so, for parseAny to read. A 1M-record file has 1.7M date
// cells; this reads one in about half parseAny's time (BenchmarkDateParse:
// ~40 ns a date of varied days against ~15-24). FuzzParseFixedMatchesAny and
// TestParseFixedEveryDay hold the two to the same answers.
func (l DateLayout) parseFixed(s string) (ts Timestamp, ok, sure bool) {
	s = s[:10]
	yAt, mAt, dAt, a, b := 6, 3, 0, 2, 5 // DD.MM.YYYY
	switch l.order {
	case ymd:
		yAt, mAt, dAt, a, b = 0, 5, 8, 4, 7
	case mdy:
		mAt, dAt = 0, 3
	}
	if s[a] != l.sep || s[b] != l.sep {
		return 0, false, false
	}
	y1, y2 := digits2(s, yAt), digits2(s, yAt+2)
	m, d := digits2(s, mAt), digits2(s, dAt)
	if y1|y2|m|d < 0 {
		return 0, false, false
	}
	y := y1*100 + y2
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false, true
	}
	return Timestamp(period.DaysFromCivil(y, m, d) * 86400), true, true
}

// digits2 is the number the two digits of s at i write, or -1.
func digits2(s string, i int) int {
	h, l := uint(s[i])-'0', uint(s[i+1])-'0'
	if h > 9 || l > 9 {
		return -1
	}
	return int(h*10 + l)
}

// parseAny reads a date in this layout however its fields are written:
// one or two digits of day and month, spaces around it, a time of day.
func (l DateLayout) parseAny(s string) (Timestamp, bool) {
	s = strings.TrimSpace(s)
	var f [3]int
	var w [3]int
	i := 0
	for k := 0; k < 3; k++ {
		start := i
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && i-start < 4 {
			n = n*10 + int(s[i]-'0')
			i++
		}
		if i == start {
			return 0, false
		}
		f[k], w[k] = n, i-start
		if k < 2 {
			if i >= len(s) || s[i] != l.sep {
				return 0, false
			}
			i++
		}
	}
	var y, m, d int
	var yw, mw, dw int
	switch l.order {
	case ymd:
		y, m, d, yw, mw, dw = f[0], f[1], f[2], w[0], w[1], w[2]
	case dmy:
		d, m, y, dw, mw, yw = f[0], f[1], f[2], w[0], w[1], w[2]
	default:
		m, d, y, mw, dw, yw = f[0], f[1], f[2], w[0], w[1], w[2]
	}
	if yw != 4 || mw > 2 || dw > 2 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	secs, ok := parseClock(s[i:])
	if !ok {
		return 0, false
	}
	return Timestamp(period.DaysFromCivil(y, m, d)*86400 + int64(secs)), true
}

// parseClock reads what may follow a date: nothing, or " " / ", " / "T", then
// H:MM[:SS[.fff]], an optional AM/PM and an optional zone (Z, +03:00).
func parseClock(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if strings.HasPrefix(s, ", ") {
		s = s[1:] // "3/14/2025, 2:05 PM", as US locales write it
	}
	if s[0] != ' ' && s[0] != 'T' {
		return 0, false
	}
	c := clock{s: strings.TrimLeft(s[1:], " ")}
	h, mi, sec, ok := c.hms()
	if !ok {
		return 0, false
	}
	c.s = strings.TrimLeft(c.s, " ")
	if h, ok = c.meridiem(h); !ok || !c.zone() {
		return 0, false
	}
	if h > 23 || mi > 59 || sec > 60 {
		return 0, false
	}
	if sec == 60 {
		sec = 59 // a leap second stays on its day
	}
	return h*3600 + mi*60 + sec, true
}

// clock scans the time of day after a date, left to right.
type clock struct{ s string }

// num reads min to max digits.
func (c *clock) num(min, max int) (int, bool) {
	n, i := 0, 0
	for i < len(c.s) && i < max && c.s[i] >= '0' && c.s[i] <= '9' {
		n = n*10 + int(c.s[i]-'0')
		i++
	}
	if i < min {
		return 0, false
	}
	c.s = c.s[i:]
	return n, true
}

// skip consumes b if it comes next.
func (c *clock) skip(b byte) bool {
	if c.s != "" && c.s[0] == b {
		c.s = c.s[1:]
		return true
	}
	return false
}

// hms reads H:MM, then optionally :SS and a fraction (ignored).
func (c *clock) hms() (h, mi, sec int, ok bool) {
	if h, ok = c.num(1, 2); !ok || !c.skip(':') {
		return 0, 0, 0, false
	}
	if mi, ok = c.num(2, 2); !ok {
		return 0, 0, 0, false
	}
	if !c.skip(':') {
		return h, mi, 0, true
	}
	if sec, ok = c.num(2, 2); !ok {
		return 0, 0, 0, false
	}
	if c.skip('.') || c.skip(',') {
		if _, ok = c.num(1, 9); !ok {
			return 0, 0, 0, false
		}
	}
	return h, mi, sec, true
}

// meridiem reads an optional AM or PM and turns h into a 24-hour hour.
func (c *clock) meridiem(h int) (int, bool) {
	if len(c.s) < 2 {
		return h, true
	}
	switch strings.ToUpper(c.s[:2]) {
	case "AM", "PM":
		if h < 1 || h > 12 {
			return 0, false
		}
		h %= 12
		if strings.ToUpper(c.s[:2]) == "PM" {
			h += 12
		}
		c.s = c.s[2:]
	}
	return h, true
}

// zone reads the rest: nothing, "Z", or an offset ±HH[[:]MM] (ignored).
func (c *clock) zone() bool {
	switch {
	case c.s == "" || c.s == "Z":
		return true
	case c.s[0] == '+' || c.s[0] == '-':
		c.s = c.s[1:]
		if _, ok := c.num(2, 2); !ok {
			return false
		}
		c.skip(':')
		if c.s != "" {
			if _, ok := c.num(2, 2); !ok || c.s != "" {
				return false
			}
		}
		return true
	}
	return false
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ParseDate reads a date in whichever known layout fits; it fails when
// none or several with different results fit ("03/04/2025").
func ParseDate(s string) (Timestamp, error) {
	var got []DateLayout
	var ts Timestamp
	for _, l := range dateLayouts {
		if v, ok := l.Parse(s); ok {
			if len(got) > 0 && v != ts {
				return 0, fmt.Errorf("ambiguous date: %s or %s", got[0], l)
			}
			got = append(got, l)
			ts = v
		}
	}
	if len(got) == 0 {
		return 0, errNotDate
	}
	return ts, nil
}

var errNotDate = errors.New("not a date: expected YYYY-MM-DD, DD.MM.YYYY, DD-MM-YYYY or M/D/YYYY, optionally with HH:MM")

// Detector finds the layout of one column from its values: each value
// rules out the layouts that cannot read it.
type Detector struct {
	cands     []DateLayout
	fixed     bool   // configured: never narrowed
	ambiguous string // a value more than one remaining layout reads
	seen      bool
}

func NewDetector(configured *DateLayout) *Detector {
	if configured != nil {
		return &Detector{cands: []DateLayout{*configured}, fixed: true, seen: true}
	}
	return &Detector{cands: append([]DateLayout(nil), dateLayouts...)}
}

// observe narrows the candidates by one non-empty value. It reports false,
// changing nothing, when no remaining layout reads the value (a bad cell).
func (d *Detector) Observe(s string) bool {
	if d.fixed {
		_, ok := d.cands[0].Parse(s)
		return ok
	}
	keep := d.cands[:0:0]
	for _, l := range d.cands {
		if _, ok := l.Parse(s); ok {
			keep = append(keep, l)
		}
	}
	if len(keep) == 0 {
		return false
	}
	d.seen = true
	if len(keep) > 1 && d.ambiguous == "" {
		d.ambiguous = strings.Clone(s) // kept for a message: s may be borrowed
	}
	d.cands = keep
	return true
}

// decided reports whether one layout is left after seeing values.
func (d *Detector) Decided() bool { return len(d.cands) == 1 && d.seen }

// layout returns the detected layout, or an error asking for date_format.
func (d *Detector) Layout() (DateLayout, error) {
	if len(d.cands) == 1 || !d.seen {
		return d.cands[0], nil
	}
	names := make([]string, len(d.cands))
	for i, l := range d.cands {
		names[i] = l.String()
	}
	return DateLayout{}, fmt.Errorf("dates like %q can be read as %s: set date_format in the source's records", d.ambiguous, strings.Join(names, " or "))
}
