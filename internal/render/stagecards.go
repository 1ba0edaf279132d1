package render

import "github.com/funnel-report/funnel/internal/analysis"

// StageCard is one stage on the home page: its name and goal, the
// conversion through it and whether it meets its references — a word
// and an icon, not colour alone.
type StageCard struct {
	Title, Path, Goal string
	// Value is "18,5%" (conversion through the stage) or the first
	// step's count; Label says which.
	Value, Label string
	// Status is ok, warn or bad ("" without a reference); Word and Icon
	// say it without colour.
	Status, Word, Icon string
	OutOfScope, Hole   bool
}

// stageCards lays out the home page's stage cards in stage order.
func stageCards(d *pageData) []StageCard {
	m, f := d.M, d.Funnel
	var out []StageCard
	for i, p := range d.Site.StagePages {
		if i >= len(m.Stages) {
			break
		}
		st := m.Stages[i]
		c := StageCard{Title: p.Title, Path: p.Path, Goal: st.Goal, OutOfScope: st.OutOfScope}
		if !st.OutOfScope && !d.Measured(st) {
			c.Hole = true
		}
		if f != nil && !c.OutOfScope && !c.Hole {
			stageNumbers(d, &c, st, f)
		}
		out = append(out, c)
	}
	return out
}

// stageNumbers fills a card from the stage's steps: the conversion from
// the step before the stage to its last step, and a status from its
// transitions against their references — bad when a gap is confirmed,
// warn when a gap is within noise, ok when every reference is met.
func stageNumbers(d *pageData, c *StageCard, st analysis.Stage, f *analysis.Funnel) {
	m, l := d.M, d.L
	first, last := -1, -1
	for _, id := range st.Steps {
		if i := m.StepIndex(id); i >= 0 {
			if first < 0 || i < first {
				first = i
			}
			last = max(last, i)
		}
	}
	if first < 0 {
		return
	}
	if first == 0 {
		c.Label, c.Value = m.Steps[0].Name, countText(l, f.Counts[0])
		if first == last {
			return
		}
		first = 1
	}
	if a, b := f.Counts[last], f.Counts[first-1]; a.OK && b.OK && b.V > 0 {
		c.Label = l.T("stage_conversion")
		c.Value = l.Pct(a.V / b.V)
	}
	c.Status = stageStatus(f, first, last)
	if c.Status != "" {
		c.Word, c.Icon = l.T("stage_status_"+c.Status), statusIcon[c.Status]
	}
}

// stageStatus judges transitions first…last (into those steps) against
// their references: bad when a gap is confirmed, warn when a gap is
// within noise, ok when every reference is met, "" without one.
func stageStatus(f *analysis.Funnel, first, last int) string {
	refs, gaps, confirmed := 0, 0, 0
	for i := first; i <= last; i++ {
		t := f.Transitions[i-1]
		if !t.Ref.OK || !t.Rate.OK || t.Provisional {
			continue
		}
		refs++
		if t.Gap.OK && t.Gap.V > 0 {
			gaps++
			if t.Confident {
				confirmed++
			}
		}
	}
	switch {
	case refs == 0:
		return ""
	case confirmed > 0:
		return analysis.StatusBad
	case gaps > 0:
		return analysis.StatusWarn
	}
	return analysis.StatusOK
}
