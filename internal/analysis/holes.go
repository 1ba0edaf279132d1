package analysis

import "github.com/funnel-report/funnel/internal/period"

// seriesHoles finds what is missing across the whole series: stages with
// nothing to measure, steps and metrics never seen, and periods missing
// inside the series.
func (a *analyzer) seriesHoles() []Hole {
	m := a.m
	holes := []Hole{}
	if a.staged() {
		for _, s := range m.Stages {
			if len(s.Steps) == 0 && len(s.Metrics) == 0 && !s.OutOfScope {
				holes = append(holes, Hole{Kind: HoleStageUnmeasured, Stage: s.ID})
			}
		}
	}
	for i, s := range m.Steps {
		if !a.everStep(i) {
			holes = append(holes, Hole{Kind: HoleNeverMeasured, Stage: s.Stage, Step: s.ID})
		}
	}
	for i, x := range m.Metrics {
		if !a.everMetric(i) {
			holes = append(holes, Hole{Kind: HoleNeverMeasured, Stage: x.Stage, Metric: x.ID})
		}
	}
	for _, p := range period.Missing(m.Periods) {
		holes = append(holes, Hole{Kind: HolePeriodMissing, Period: p})
	}
	return holes
}

// staged reports whether any step or metric is assigned to a stage; with
// none (no config), every stage would be a hole, which says nothing.
func (a *analyzer) staged() bool {
	for _, s := range a.m.Stages {
		if len(s.Steps)+len(s.Metrics) > 0 {
			return true
		}
	}
	return false
}

func (a *analyzer) everStep(i int) bool {
	for pi := range a.m.Periods {
		if a.at(pi, 0).Counts[i].OK() {
			return true
		}
	}
	return false
}

func (a *analyzer) everMetric(i int) bool {
	for pi := range a.m.Periods {
		if a.at(pi, 0).Metrics[i].OK() {
			return true
		}
	}
	return false
}

// periodHoles finds the holes of one period: stages with no data, steps
// and metrics missing between periods that have them, orphan steps (any
// segment), and maturing cohorts.
func (a *analyzer) periodHoles(pi int) []Hole {
	holes, empty := a.emptyStages(pi)
	holes = append(holes, a.seriesGaps(pi, empty)...)
	holes = append(holes, a.orphanSteps(pi)...)
	return append(holes, a.maturingHoles(pi)...)
}

// emptyStages are the stages in scope with neither a count nor a metric
// in period pi; empty marks them, so their steps are not gaps as well.
func (a *analyzer) emptyStages(pi int) (holes []Hole, empty map[string]bool) {
	m, all := a.m, a.at(pi, 0)
	holes, empty = []Hole{}, map[string]bool{}
	for _, s := range m.Stages {
		if len(s.Steps)+len(s.Metrics) == 0 || s.OutOfScope {
			continue
		}
		has := false
		for _, id := range s.Steps {
			has = has || all.Counts[m.StepIndex(id)].OK()
		}
		for _, id := range s.Metrics {
			has = has || all.Metrics[m.MetricIndex(id)].OK()
		}
		if !has {
			empty[s.ID] = true
			holes = append(holes, Hole{Kind: HoleStageNoData, Period: m.Periods[pi], Stage: s.ID})
		}
	}
	return holes, empty
}

// seriesGaps are the steps and metrics missing in period pi though
// periods before and after it have them.
func (a *analyzer) seriesGaps(pi int, empty map[string]bool) []Hole {
	m, all, p := a.m, a.at(pi, 0), a.m.Periods[pi]
	var holes []Hole
	for i, s := range m.Steps {
		if !all.Counts[i].OK() && !empty[s.Stage] && a.between(pi, func(f *Funnel) bool { return f.Counts[i].OK() }) {
			holes = append(holes, Hole{Kind: HoleSeriesGap, Period: p, Stage: s.Stage, Step: s.ID})
		}
	}
	for i, x := range m.Metrics {
		if !all.Metrics[i].OK() && !empty[x.Stage] && a.between(pi, func(f *Funnel) bool { return f.Metrics[i].OK() }) {
			holes = append(holes, Hole{Kind: HoleSeriesGap, Period: p, Stage: x.Stage, Metric: x.ID})
		}
	}
	return holes
}

// orphanSteps are steps counted in some segment whose previous step is
// not.
func (a *analyzer) orphanSteps(pi int) []Hole {
	var holes []Hole
	for si := range a.m.Segments {
		f := a.at(pi, si)
		for _, tr := range f.Transitions {
			if f.Counts[tr.To].OK() && !f.Counts[tr.From].OK() {
				s := a.m.Steps[tr.To]
				holes = append(holes, Hole{Kind: HoleOrphanStep, Period: a.m.Periods[pi], Segment: f.SegmentKey, Stage: s.Stage, Step: s.ID})
			}
		}
	}
	return holes
}

// maturingHoles are the period's provisional rates: a cohort too young for
// the step's usual time to convert.
func (a *analyzer) maturingHoles(pi int) []Hole {
	all, p := a.at(pi, 0), a.m.Periods[pi]
	var holes []Hole
	for _, tr := range all.Transitions {
		if tr.Provisional {
			s := a.m.Steps[tr.To]
			holes = append(holes, Hole{Kind: HoleMaturing, Period: p, Segment: all.SegmentKey, Stage: s.Stage, Step: s.ID,
				Days: Some(a.cum[tr.To]), Age: a.cohortAge(p)})
		}
	}
	return holes
}

// between reports whether has holds for the all-segment funnel of some
// period before pi and of some period after it.
func (a *analyzer) between(pi int, has func(*Funnel) bool) bool {
	before, after := false, false
	for j := range a.m.Periods {
		if j == pi || !has(a.at(j, 0)) {
			continue
		}
		if j < pi {
			before = true
		} else {
			after = true
		}
	}
	return before && after
}
