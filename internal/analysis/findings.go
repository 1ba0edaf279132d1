package analysis

import "github.com/funnel-report/funnel/internal/dataset"

// maxFindings caps the list: a reader takes in a handful of statements.
const maxFindings = 8

// findings picks, in the order a consultant would lead with them: the top
// bottlenecks, the sharpest significant drops, the worst drawn-out
// stages, the segment losing most at the top bottleneck, stages with no
// data, maturing cohorts and missed KPIs (bad first). Each finding carries exactly
// the numbers its sentence cites.
func (a *analyzer) findings(d *Diagnosis, all *Funnel) []Finding {
	m := a.m
	p := d.Period
	out := []Finding{}
	add := func(f Finding) {
		if len(out) < maxFindings {
			f.Period = p
			out = append(out, f)
		}
	}

	// Bottlenecks: up to two confident ones; if none is confident, the
	// top one, marked as a small sample.
	var picked []Bottleneck
	for _, b := range d.Bottlenecks {
		if b.Confident && b.Extra.OK && b.Extra.V >= 0.5 && len(picked) < 2 {
			picked = append(picked, b)
		}
	}
	if len(picked) == 0 {
		for _, b := range d.Bottlenecks {
			if b.Extra.OK && b.Extra.V >= 0.5 {
				picked = append(picked, b)
				break
			}
		}
	}
	var top *Bottleneck
	if len(picked) > 0 {
		top = &picked[0]
	}
	for i, b := range picked {
		f := Finding{Kind: FindingBottleneck, Segment: b.SegmentKey, From: b.From, To: b.To, RefSource: b.RefSource,
			Values: []Value{{"rank", UnitRank, float64(i + 1)}, {"rate", UnitRate, b.Rate.V}, {"reference", UnitRate, b.Ref.V}, {"extra", UnitCount, b.Extra.V}}}
		if b.GainValue.OK && b.GainValue.V > 0 {
			f.Values = append(f.Values, Value{"value", UnitMoney, b.GainValue.V})
		}
		if !b.Confident {
			f.Flags = append(f.Flags, FlagSmallSample)
		}
		if b.Provisional {
			f.Flags = append(f.Flags, FlagProvisional)
		}
		add(f)
	}

	// Drops: the two largest significant falls on different transitions;
	// a below-half drop only when there is no fall and it is not already
	// the top bottleneck.
	seen := map[int]bool{}
	told := map[[2]int]string{} // transition → segment a drop finding named
	for _, dr := range d.Drops {
		if len(seen) == 2 || seen[dr.From] {
			continue
		}
		if !dr.Fell && (len(seen) > 0 || top != nil && top.From == dr.From) {
			continue
		}
		seen[dr.From] = true
		told[[2]int{dr.From, dr.To}] = dr.SegmentKey
		f := Finding{Kind: FindingDrop, Segment: dr.SegmentKey, From: dr.From, To: dr.To, RefSource: dr.RefSource}
		if dr.Fell {
			f.Values = []Value{{"rate", UnitRate, dr.Rate.V}, {"prev", UnitRate, dr.Prev.V}, {"change", UnitPP, dr.ChangePP.V}, pValue(dr.PValue.V)}
		} else {
			f.Flags = []string{FlagBelowHalf}
			f.Values = []Value{{"rate", UnitRate, dr.Rate.V}, {"reference", UnitRate, dr.Ref.V}}
		}
		if dr.Lost.OK && dr.Lost.V >= 0.5 {
			f.Values = append(f.Values, Value{"lost", UnitCount, dr.Lost.V})
		}
		add(f)
	}

	// Drawn-out stages: the two with the largest delay load, if it rounds
	// to at least one client-day (as extra and lost clients must).
	drawn := map[int]bool{}
	for _, du := range d.DrawnOut {
		if len(drawn) == 2 {
			break
		}
		if du.Load.OK && du.Load.V < 0.5 {
			continue
		}
		drawn[du.To] = true
		f := Finding{Kind: FindingDrawnOut, Segment: du.SegmentKey, From: du.From, To: du.To, RefSource: du.RefSource,
			Values: []Value{{"median", UnitDays, du.Median.V}, {"reference", UnitDays, du.Ref.V}}}
		if du.Load.OK {
			f.Values = append(f.Values, Value{"load", UnitClientDays, du.Load.V})
		}
		if du.Source == FromMetric {
			f.Flags = append(f.Flags, FlagFromMetric)
		} else {
			f.Values = append(f.Values, Value{"p90", UnitDays, du.P90.V})
			if du.OverShare.OK {
				f.Values = append(f.Values, Value{"over", UnitRate, du.OverShare.V})
			}
		}
		add(f)
	}

	// The segment losing most clients at the top bottleneck (or at any
	// transition when there is none), unless a drop already named it.
	for _, l := range d.SegmentLosses {
		if top != nil && l.From != top.From || l.Loss.V < 0.5 {
			continue
		}
		if told[[2]int{l.From, l.To}] == l.SegmentKey {
			break // the drop finding already names this segment here
		}
		add(Finding{Kind: FindingSegmentLoss, Segment: l.SegmentKey, From: l.From, To: l.To,
			Values: []Value{{"rate", UnitRate, l.Rate.V}, {"all_rate", UnitRate, l.AllRate.V}, {"loss", UnitCount, l.Loss.V}}})
		break
	}

	// Holes: stages without data this period, then maturing cohorts.
	maturing := 0
	for _, h := range d.Holes {
		switch h.Kind {
		case HoleStageNoData:
			add(Finding{Kind: FindingHole, Segment: dataset.All.String(), From: -1, To: -1, Stage: h.Stage, Values: []Value{}})
		case HoleMaturing:
			maturing++
		}
	}
	if maturing > 0 {
		for _, h := range d.Holes {
			if h.Kind == HoleMaturing {
				to := m.StepIndex(h.Step)
				add(Finding{Kind: FindingMaturing, Segment: h.Segment, From: to - 1, To: to,
					Values: []Value{{"steps", UnitCount, float64(maturing)}, {"days", UnitDays, h.Days.V}}})
				break
			}
		}
	}
	// Missed KPIs, bad first.
	for _, want := range []string{StatusBad, StatusWarn} {
		for _, k := range all.KPIs {
			if k.Status != want {
				continue
			}
			mt := m.Metrics[k.Metric]
			if drawn[a.durationStep(k.Metric)] {
				continue // already told as a drawn-out stage
			}
			add(Finding{Kind: FindingKPI, Segment: all.SegmentKey, From: -1, To: -1, Stage: mt.Stage, Metric: mt.ID,
				Flags:  []string{k.Status},
				Values: []Value{{"value", mt.Unit, k.Value.V}, {"target", mt.Unit, k.Target.V}}})
		}
	}

	return out
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

// pValue cites a p-value, or its bound when it rounds to 0,000.
func pValue(p float64) Value {
	if p < 0.0005 {
		return Value{"p_below", UnitP, 0.001}
	}
	return Value{"p", UnitP, p}
}
