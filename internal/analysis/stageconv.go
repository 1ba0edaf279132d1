package analysis

// The home page's stage cards cite one number per journey stage: the
// conversion through it, from the step before the stage to its last step
// (from the first step when the stage opens the funnel), with the status
// of its transitions against their references. Both are computed here,
// once, and exported; render only formats them.

// stageSpan sets each stage's From and To: the conversion through the
// stage runs from step From to step To (From == To: the stage holds only
// the first step, a count and no conversion; −1: no step of the model).
func stageSpan(stages []Stage, steps []Step) {
	for i := range stages {
		st := &stages[i]
		first, last := -1, -1
		for j, s := range steps {
			if s.Stage == st.ID {
				if first < 0 {
					first = j
				}
				last = j
			}
		}
		st.From, st.To = first, last
		if first > 0 {
			st.From = first - 1
		}
	}
}

// stageConversions fills f.StageConversions, one per model stage: c_To /
// c_From, small when the from-step holds fewer than min_sample cases (as
// the transition out of it), provisional when any transition it spans is.
func (a *analyzer) stageConversions(f *Funnel) {
	f.StageConversions = make([]StageConversion, len(a.m.Stages))
	for i, st := range a.m.Stages {
		if st.From < 0 || st.From >= st.To || st.To >= len(f.Counts) {
			continue
		}
		c := &f.StageConversions[i]
		span := f.Transitions[st.From:st.To]
		c.Status = stageStatus(span)
		if c.Rate = Ratio(f.Counts[st.To], f.Counts[st.From]); !c.Rate.OK() {
			continue
		}
		c.Small = span[0].Small
		for _, t := range span {
			c.Provisional = c.Provisional || t.Provisional
		}
	}
}

// stageStatus judges a stage's transitions against their references:
// bad when a gap is confirmed, warn when a gap is within noise, ok when
// every reference is met, "" without one. A provisional rate is not
// judged.
func stageStatus(ts []Transition) string {
	refs, gaps, confirmed := 0, 0, 0
	for _, t := range ts {
		if !t.Ref.OK() || !t.Rate.OK() || t.Provisional {
			continue
		}
		refs++
		if t.Gap.OK() && t.Gap.V() > 0 {
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
		return StatusBad
	case gaps > 0:
		return StatusWarn
	}
	return StatusOK
}
