package dataset

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Period label forms the tool recognises; anything else keeps data order.
var (
	reMonth   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	reQuarter = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	reWeek    = regexp.MustCompile(`^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$`)
	reYear    = regexp.MustCompile(`^(\d{4})$`)
)

// PeriodKind is the granularity of a recognised period label.
type PeriodKind int

const (
	Unknown PeriodKind = iota
	Month
	Quarter
	Week
	Year
)

// ParsePeriod returns the kind of a label and its ordinal within that kind
// (consecutive periods have consecutive ordinals).
func ParsePeriod(p string) (PeriodKind, int) {
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := reMonth.FindStringSubmatch(p); m != nil {
		return Month, num(m[1])*12 + num(m[2]) - 1
	}
	if m := reQuarter.FindStringSubmatch(p); m != nil {
		return Quarter, num(m[1])*4 + num(m[2]) - 1
	}
	if m := reWeek.FindStringSubmatch(p); m != nil {
		// Ordinal by 53-week years: good for ordering, and consecutive
		// within a year; gaps across year ends are checked with isoWeeks.
		return Week, num(m[1])*53 + num(m[2]) - 1
	}
	if m := reYear.FindStringSubmatch(p); m != nil {
		return Year, num(m[1])
	}
	return Unknown, 0
}

// SortPeriods orders labels chronologically when all are of one recognised
// kind; otherwise it keeps the order the data gave.
func SortPeriods(ps []string) []string {
	if len(ps) == 0 {
		return ps
	}
	kind, _ := ParsePeriod(ps[0])
	if kind == Unknown {
		return ps
	}
	for _, p := range ps {
		if k, _ := ParsePeriod(p); k != kind {
			return ps
		}
	}
	out := append([]string(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		_, a := ParsePeriod(out[i])
		_, b := ParsePeriod(out[j])
		return a < b
	})
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

var kindNames = map[PeriodKind]string{Unknown: "free-form label", Month: "month", Quarter: "quarter", Week: "ISO week", Year: "year"}

func (k PeriodKind) String() string { return kindNames[k] }

// NormalizePeriod returns the canonical form of a period label, or an
// error for a label shaped like a period that names none. Labels of no
// recognised shape (e.g. "Spring sale") are returned unchanged.
func NormalizePeriod(p string) (string, error) {
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
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
		return q, checkPeriod(q)
	}
	return p, nil
}

// checkPeriod rejects labels of a recognised form that name no real
// period: week 53 of a year with 52 ISO weeks would otherwise sort as if
// it were the first week of the next year.
func checkPeriod(p string) error {
	m := reWeek.FindStringSubmatch(p)
	if m == nil || m[2] != "53" {
		return nil
	}
	y, _ := strconv.Atoi(m[1])
	// December 28 is always in the last ISO week of its year.
	if _, last := time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek(); last < 53 {
		return fmt.Errorf("%d has %d ISO weeks: no week 53", y, last)
	}
	return nil
}

// periodChecker normalises and checks the period labels of one file and
// remembers its verdict per label, so a loader pays for the regular
// expressions once per period, not once per row; rows usually come
// grouped by period, so the last label is checked first. All labels of a
// file must be of one kind: months mixed with quarters would order the
// periods by file order and judge the wrong "latest" period.
type periodChecker struct {
	last     string
	lastNorm string
	lastErr  error
	seen     map[string]periodVerdict

	kind      PeriodKind // of the first label
	kindLabel string     // the first label, for messages
	kindLine  int
}

type periodVerdict struct {
	norm string
	err  error
}

// check returns the canonical label of p, read on line, or why it is
// wrong.
func (c *periodChecker) check(p string, line int) (string, error) {
	if p == c.last && c.seen != nil {
		return c.lastNorm, c.lastErr
	}
	if c.seen == nil {
		c.seen = map[string]periodVerdict{}
	}
	v, ok := c.seen[p]
	if !ok {
		v.err = checkLabel(p)
		if v.err == nil {
			v.norm, v.err = NormalizePeriod(p)
		}
		if v.err == nil {
			v.err = c.sameKind(v.norm, line)
		}
		p = strings.Clone(p)
		if v.norm == p {
			v.norm = p
		} else {
			v.norm = strings.Clone(v.norm)
		}
		c.seen[p] = v
	}
	c.last, c.lastNorm, c.lastErr = p, v.norm, v.err
	return v.norm, v.err
}

func (c *periodChecker) sameKind(p string, line int) error {
	k, _ := ParsePeriod(p)
	if c.kindLabel == "" {
		c.kind, c.kindLabel, c.kindLine = k, p, line
		return nil
	}
	if k != c.kind {
		return mixedKinds(p, k, c.kindLabel, c.kind, fmt.Sprintf("line %d", c.kindLine))
	}
	return nil
}

func mixedKinds(p string, k PeriodKind, first string, fk PeriodKind, where string) error {
	return fmt.Errorf("period %q is a %s, but %q (%s) is a %s: use one kind of period throughout", p, k, first, where, fk)
}

// checkPeriodKinds checks that the periods of the whole table (from every
// file) are of one kind.
func checkPeriodKinds(t *Table) error {
	if len(t.Periods) == 0 {
		return nil
	}
	first := t.Periods[0]
	fk, _ := ParsePeriod(first)
	for _, p := range t.Periods[1:] {
		if k, _ := ParsePeriod(p); k != fk {
			return &ParseError{File: DataDir + "/", Err: mixedKinds(p, k, first, fk, "in another file")}
		}
	}
	return nil
}
