package analysis

import "github.com/funnel-report/funnel/internal/dataset"

// maxFindings caps the list: a reader takes in a handful of statements.
const maxFindings = 8

// findings picks, in the order a consultant would lead with them: the top
// confident bottlenecks, the sharpest confident falls, the rate furthest
// under its reference, the worst drawn-out stages, the segment losing
// most at the top bottleneck, "no claim" with the smallest detectable
// fall when nothing survives, stages with no data, maturing cohorts and
// missed KPIs (bad first). Each finding carries exactly
// the numbers its sentence cites. One method per finding kind.
func (a *analyzer) findings(d *Diagnosis, all *Funnel) []Finding {
	l := &findingList{d: d, all: all, out: []Finding{}, told: map[[2]int]string{}, drawn: map[int]bool{}}
	// period_by: event — every claim below is descriptive; say so first.
	if d.Untested {
		l.add(Finding{Kind: FindingUntested, Segment: all.SegmentKey, From: -1, To: -1, Values: []Value{}})
		l.flags = []string{FlagUntested}
	}
	l.bottlenecks()
	l.drops()
	l.farBelow()
	l.drawnOut()
	l.segmentLoss()
	l.noClaim()
	l.holes(a.m)
	a.missedKPIs(l)
	return l.out
}

// findingList gathers a period's findings in order, up to maxFindings,
// with what the later kinds need to know of the earlier ones.
type findingList struct {
	d     *Diagnosis
	all   *Funnel
	out   []Finding
	flags []string // FlagUntested on every claim of an untested diagnosis
	// claims counts the claims made; top is the first bottleneck told;
	// told maps a transition to the segment a drop or far-below finding
	// named there; drawn holds the steps told as drawn out.
	claims int
	top    *Bottleneck
	told   map[[2]int]string
	drawn  map[int]bool
}

func (l *findingList) add(f Finding) {
	if len(l.out) < maxFindings {
		f.Period = l.d.Period
		l.out = append(l.out, f)
	}
}

// claimed: a claim is made only when its test survives the period's
// family (untested: on its point estimate, flagged). A gap that is not
// significant is never "bottleneck #1".
func (l *findingList) claimed(confident, provisional bool) bool {
	return !provisional && (confident || l.d.Untested)
}

// bottlenecks tells up to two claimed bottlenecks.
func (l *findingList) bottlenecks() {
	var picked []Bottleneck
	for _, b := range l.d.Bottlenecks {
		if l.claimed(b.Confident, b.Provisional) && b.Extra.OK() && b.Extra.V() >= 0.5 && len(picked) < 2 {
			picked = append(picked, b)
		}
	}
	if len(picked) > 0 {
		l.top = &picked[0]
	}
	for i, b := range picked {
		f := Finding{Kind: FindingBottleneck, Segment: b.SegmentKey, From: b.From, To: b.To, RefSource: b.RefSource, Flags: l.flags,
			Values: []Value{{"rank", UnitRank, float64(i + 1)}, {"rate", UnitRate, b.Rate.V()}, {"reference", UnitRate, b.Ref.V()}, {"extra", UnitCount, b.Extra.V()}}}
		f.Values = append(f.Values, refPeriods(b.RefSource, b.RefPeriods)...)
		f.Values = append(f.Values, window(b.Window)...)
		if b.GainValue.OK() && b.GainValue.V() > 0 {
			f.Values = append(f.Values, Value{"value", UnitMoney, b.GainValue.V()})
			if b.GainValueLow.OK() && b.GainValueHigh.OK() {
				f.Values = append(f.Values, Value{"value_low", UnitMoney, b.GainValueLow.V()}, Value{"value_high", UnitMoney, b.GainValueHigh.V()})
			}
		}
		l.add(f)
		l.claims++
	}
}

// drops tells the two largest falls on different transitions.
func (l *findingList) drops() {
	seen := map[int]bool{}
	for _, dr := range l.d.Drops {
		if len(seen) == 2 || seen[dr.From] {
			continue
		}
		seen[dr.From] = true
		l.told[[2]int{dr.From, dr.To}] = dr.SegmentKey
		f := Finding{Kind: FindingDrop, Segment: dr.SegmentKey, From: dr.From, To: dr.To, Flags: l.flags,
			Values: []Value{{"rate", UnitRate, dr.Rate.V()}, {"prev", UnitRate, dr.Prev.V()}, {"change", UnitPP, dr.ChangePP.V()}}}
		f.Values = append(f.Values, window(dr.Window)...)
		if dr.P.OK() && !l.d.Untested { // an untested claim cites no p-value
			f.Values = append(f.Values, pValue(dr.P.V()))
		}
		if dr.Lost.OK() && dr.Lost.V() >= 0.5 {
			f.Values = append(f.Values, Value{"lost", UnitCount, dr.Lost.V()})
		}
		l.add(f)
		l.claims++
	}
}

// farBelow tells the rate furthest below its reference, unless the top
// bottleneck already is that transition of the whole funnel.
func (l *findingList) farBelow() {
	for _, fb := range l.d.FarBelow {
		if l.top != nil && l.top.From == fb.From && fb.Segment.IsAll() {
			continue
		}
		l.told[[2]int{fb.From, fb.To}] = fb.SegmentKey
		f := Finding{Kind: FindingFarBelow, Segment: fb.SegmentKey, From: fb.From, To: fb.To, RefSource: fb.RefSource, Flags: l.flags,
			Values: []Value{{"rate", UnitRate, fb.Rate.V()}, {"reference", UnitRate, fb.Ref.V()}}}
		f.Values = append(f.Values, refPeriods(fb.RefSource, fb.RefPeriods)...)
		f.Values = append(f.Values, window(fb.Window)...)
		if fb.Lost.OK() && fb.Lost.V() >= 0.5 {
			f.Values = append(f.Values, Value{"lost", UnitCount, fb.Lost.V()})
		}
		l.add(f)
		l.claims++
		return
	}
}

// drawnOut tells the two drawn-out stages with the largest delay load,
// if it rounds to at least one client-day (as extra and lost clients
// must).
func (l *findingList) drawnOut() {
	for _, du := range l.d.DrawnOut {
		if len(l.drawn) == 2 {
			return
		}
		if du.Load.OK() && du.Load.V() < 0.5 {
			continue
		}
		l.drawn[du.To] = true
		f := Finding{Kind: FindingDrawnOut, Segment: du.SegmentKey, From: du.From, To: du.To, RefSource: du.RefSource,
			Values: []Value{{"median", UnitDays, du.Median.V()}, {"reference", UnitDays, du.Ref.V()}}}
		if du.Load.OK() {
			f.Values = append(f.Values, Value{"load", UnitClientDays, du.Load.V()})
		}
		if du.Source == FromMetric {
			f.Flags = append(f.Flags, FlagFromMetric)
		} else {
			f.Values = append(f.Values, Value{"p90", UnitDays, du.P90.V()})
			if du.OverShare.OK() {
				f.Values = append(f.Values, Value{"over", UnitRate, du.OverShare.V()})
			}
		}
		l.add(f)
	}
}

// segmentLoss tells the segment losing most clients against the other
// segments at the top bottleneck (or at any transition when there is
// none), when its test survives, unless a drop already named it.
func (l *findingList) segmentLoss() {
	for _, sl := range l.d.SegmentLosses {
		if !l.claimed(sl.Confident, false) || l.top != nil && sl.From != l.top.From || sl.Loss.V() < 0.5 {
			continue
		}
		if l.told[[2]int{sl.From, sl.To}] == sl.SegmentKey {
			return // a drop finding already names this segment here
		}
		l.add(Finding{Kind: FindingSegmentLoss, Segment: sl.SegmentKey, From: sl.From, To: sl.To, Flags: l.flags,
			Values: append([]Value{{"rate", UnitRate, sl.Rate.V()}, {"others", UnitRate, sl.Others.V()}, {"loss", UnitCount, sl.Loss.V()}}, window(sl.Window)...)})
		l.claims++
		return
	}
}

// DetectableAt is the transition of f whose detectable fall a "nothing
// confirmed" sentence cites: the one a reader would look at first (the
// largest gap among d's bottlenecks, else the first one measured); −1
// when no transition has one.
func (d *Diagnosis) DetectableAt(f *Funnel) int {
	for _, b := range d.Bottlenecks {
		if f.Transitions[b.From].Detectable.OK() {
			return b.From
		}
	}
	for i, tr := range f.Transitions {
		if tr.Detectable.OK() {
			return i
		}
	}
	return -1
}

// noClaim: nothing survives — say so, with the smallest fall the data
// could have told from noise at the transition a reader would look at
// first (the largest gap, else the first one measured).
func (l *findingList) noClaim() {
	d, all := l.d, l.all
	if l.claims > 0 || d.Untested || d.Tests == nil || len(d.Tests.Tests) == 0 || d.Tests.Confident() > 0 {
		return
	}
	if at := d.DetectableAt(all); at >= 0 {
		tr := all.Transitions[at]
		l.add(Finding{Kind: FindingNoClaim, Segment: all.SegmentKey, From: tr.From, To: tr.To,
			Values: []Value{{"detectable", UnitPP, tr.Detectable.V()}, {"q", UnitRate, d.Tests.Q}}})
	}
}

// holes tells the stages without data this period, then the maturing
// cohorts (one finding, counting the steps).
func (l *findingList) holes(m *Model) {
	maturing := 0
	for _, h := range l.d.Holes {
		switch h.Kind {
		case HoleStageNoData:
			l.add(Finding{Kind: FindingHole, Segment: dataset.All.String(), From: -1, To: -1, Stage: h.Stage, Values: []Value{}})
		case HoleMaturing:
			maturing++
		}
	}
	if maturing == 0 {
		return
	}
	for _, h := range l.d.Holes {
		if h.Kind == HoleMaturing {
			to := m.StepIndex(h.Step)
			l.add(Finding{Kind: FindingMaturing, Segment: h.Segment, From: to - 1, To: to,
				Values: []Value{{"steps", UnitCount, float64(maturing)}, {"days", UnitDays, h.Days.V()}}})
			return
		}
	}
}

// missedKPIs tells the missed KPIs, bad first, except a duration already
// told as a drawn-out stage.
func (a *analyzer) missedKPIs(l *findingList) {
	for _, want := range []string{StatusBad, StatusWarn} {
		for _, k := range l.all.KPIs {
			if k.Status != want {
				continue
			}
			mt := a.m.Metrics[k.Metric]
			if l.drawn[a.durationStep(k.Metric)] {
				continue // already told as a drawn-out stage
			}
			l.add(Finding{Kind: FindingKPI, Segment: l.all.SegmentKey, From: -1, To: -1, Stage: mt.Stage, Metric: mt.ID,
				Flags:  []string{k.Status},
				Values: []Value{{"value", mt.Unit, k.Value.V()}, {"target", mt.Unit, k.Target.V()}}})
		}
	}
}

// durationStep is the step whose days a duration_of metric holds, or -1.
func (a *analyzer) durationStep(metric int) int {
	for s, x := range a.durMetric {
		if x == metric {
			return s
		}
	}
	return -1
}

// refPeriods cites how many previous periods a pooled reference rests
// on: "vs the previous 4 quarters".
func refPeriods(src RefKind, n int) []Value {
	if src != RefPrevious || n < 2 {
		return nil
	}
	return []Value{{"periods", UnitCount, float64(n)}}
}

// window cites the conversion window W a windowed rate is read within
// (records and events): the finding's rates are r^W, "within W days".
func window(w Opt) []Value {
	if !w.OK() {
		return nil
	}
	return []Value{{"window", UnitDays, w.V()}}
}

// pValue cites a p-value, or its bound when it rounds to 0,000.
func pValue(p float64) Value {
	if p < 0.0005 {
		return Value{"p_below", UnitP, 0.001}
	}
	return Value{"p", UnitP, p}
}
