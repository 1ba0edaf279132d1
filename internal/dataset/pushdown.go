package dataset

import (
	"cmp"
	"fmt"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
	"github.com/funnel-report/funnel/internal/sources"
)

// pushDownSpec is what a ClickHouse events table is reduced by: the same
// steps, segments and column defaults as the in-process events path.
func pushDownSpec(cfg *config.Config, src config.Source, lc *leadCounter) sources.PushDown {
	r := src.Records
	segs := r.Segments
	if len(segs) == 0 {
		segs = cfg.Segments
	}
	return sources.PushDown{
		Table: src.Table,
		ID:    cmp.Or(r.ID, "id"), Step: cmp.Or(r.StepColumn, "step"), Time: cmp.Or(r.TimeColumn, "timestamp"),
		Steps: lc.steps, Dims: segs, Granularity: r.Granularity, ChainWindowDays: src.ChainWindowDays,
	}
}

// addAggregate counts a push-down aggregate into lc exactly as countLead
// counts one lead at a time: every step up to the furthest in the entry
// cohort, the converted durations in days, and for leads still open at
// their furthest step the time they entered it (flush censors them at the
// latest time), all in whole hours as the in-process path reads events.
func (l *leadCounter) addAggregate(a *sources.EventAggregate) error {
	if len(a.Steps) != len(l.steps) {
		return &ParseError{File: l.name, Err: fmt.Errorf("push-down returned %d steps, want %d", len(a.Steps), len(l.steps))}
	}
	l.t.Rows += int(a.Events)
	dims := make([]int, len(a.Dims))
	for i, d := range a.Dims {
		dims[i] = l.t.AddDim(d)
	}
	l.dimIdx = dims
	tuple := make([]string, len(l.t.Dims))
	tupleOf := func(vals []string) []string {
		clear(tuple)
		for i, v := range vals {
			tuple[dims[i]] = v
		}
		return tuple
	}
	for _, c := range a.Leads {
		if c.Furthest < 0 || c.Furthest >= len(l.steps) {
			return &ParseError{File: l.name, Err: fmt.Errorf("push-down returned step index %d", c.Furthest)}
		}
		cell := l.cellFor(l.period(csvio.Timestamp(c.Cohort*86400)), tupleOf(c.Tuple))
		for i := 0; i <= c.Furthest; i++ {
			cell.counts[i] += float64(c.Leads)
		}
		l.t.Leads += int(c.Leads)
	}
	for _, d := range a.Durations {
		if d.Step <= 0 || d.Step >= len(l.steps) {
			return &ParseError{File: l.name, Err: fmt.Errorf("push-down returned transition %d", d.Step)}
		}
		cell := l.cellFor(l.period(csvio.Timestamp(d.Cohort*86400)), tupleOf(d.Tuple))
		secs := d.Hours * sources.DurationResolution
		for range d.Leads {
			if d.Open {
				cell.open[d.Step].addStart(a.Latest - secs)
			} else {
				cell.durs[d.Step].add(float64(secs) / 86400)
			}
		}
	}
	for _, m := range a.Misdated {
		l.t.Warnings.Add(&ParseError{File: l.name, Value: m.Example,
			Err: fmt.Errorf("%d ids reach step %q before step %q (this is one): their duration is left out", m.Leads, l.steps[m.Step], l.steps[m.Step-1])})
	}
	if csvio.Timestamp(a.Latest) > l.latest {
		l.latest = csvio.Timestamp(a.Latest)
	}
	return nil
}
