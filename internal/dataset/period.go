package dataset

import (
	"fmt"
	"strings"

	"github.com/funnel-report/funnel/internal/period"
)

// The labels themselves (their forms, order and arithmetic) are package
// period's; here is what loading adds: each file's labels normalised
// once, and of one kind throughout.

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

	kind      period.Kind // of the first label
	kindLabel string      // the first label, for messages
	kindLine  int
}

type periodVerdict struct {
	label string // the label as written, a copy (the row's may be borrowed)
	norm  string
	err   error
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
			v.norm, v.err = period.Normalize(p)
		}
		if v.err == nil {
			v.err = c.sameKind(v.norm, line)
		}
		v.label = strings.Clone(p)
		if v.norm == p {
			v.norm = v.label
		} else {
			v.norm = strings.Clone(v.norm)
		}
		c.seen[v.label] = v
	}
	c.last, c.lastNorm, c.lastErr = v.label, v.norm, v.err
	return v.norm, v.err
}

func (c *periodChecker) sameKind(p string, line int) error {
	k, _ := period.Parse(p)
	if c.kindLabel == "" {
		c.kind, c.kindLabel, c.kindLine = k, p, line
		return nil
	}
	if k != c.kind {
		return mixedKinds(p, k, c.kindLabel, c.kind, fmt.Sprintf("line %d", c.kindLine))
	}
	return nil
}

func mixedKinds(p string, k period.Kind, first string, fk period.Kind, where string) error {
	return fmt.Errorf("period %q is a %s, but %q (%s) is a %s: use one kind of period throughout", p, k, first, where, fk)
}

// checkPeriodKinds checks that the periods of the whole table (from every
// file) are of one kind.
func checkPeriodKinds(t *Table) error {
	if len(t.Periods) == 0 {
		return nil
	}
	first := t.Periods[0]
	fk, _ := period.Parse(first)
	for _, p := range t.Periods[1:] {
		if k, _ := period.Parse(p); k != fk {
			return &ParseError{File: DataDir + "/", Err: mixedKinds(p, k, first, fk, "in another file")}
		}
	}
	return nil
}
