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

// periodChecker remembers checkPeriod's verdict per label, so a loader
// pays for the regular expression once per period, not once per row; rows
// usually come grouped by period, so the last label is checked first.
type periodChecker struct {
	last    string
	lastErr error
	seen    map[string]error
}

func (c *periodChecker) check(p string) error {
	if p == c.last && c.seen != nil {
		return c.lastErr
	}
	if c.seen == nil {
		c.seen = map[string]error{}
	}
	err, ok := c.seen[p]
	if !ok {
		err = checkPeriod(p)
		p = strings.Clone(p)
		c.seen[p] = err
	}
	c.last, c.lastErr = p, err
	return err
}
