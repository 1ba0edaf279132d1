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
			stageNumbers(d, &c, i, st, f)
		}
		out = append(out, c)
	}
	return out
}

// stageNumbers fills a card from the model: the conversion through the
// stage (from the step before it to its last step; the first step's
// count when the stage holds only that step) and its status against the
// references, each computed once in analysis. A greyed small sample and a
// provisional rate are marked in words, as on every page.
func stageNumbers(d *pageData, c *StageCard, si int, st analysis.Stage, f *analysis.Funnel) {
	m, l := d.M, d.L
	if st.From < 0 || si >= len(f.StageConversions) {
		return
	}
	if st.From == 0 {
		c.Label, c.Value = m.Steps[0].Name, countText(l, f.Counts[0])
		if st.From == st.To {
			return
		}
	}
	sc := f.StageConversions[si]
	if sc.Rate.OK() {
		c.Label, c.Value = l.T("stage_conversion"), l.Pct(sc.Rate.V())
		if sc.Small {
			c.Value += " (" + l.T("small_sample") + ")"
		}
		if sc.Provisional {
			c.Value += provisionalText(l)
		}
	}
	if c.Status = sc.Status; c.Status != "" {
		c.Word, c.Icon = l.T("stage_status_"+c.Status), statusIcon[c.Status]
	}
}
