package analysis

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/funnel-report/funnel/internal/dataset"
)

// Bottlenecks ranks the transitions of a funnel that miss their
// reference: confident ones first (their test survives the period's
// family), then the others — each group by gain (undefined last), then by
// gap, then in funnel order. Small samples are never ranked. A funnel
// whose every transition meets its reference has none.
func Bottlenecks(f *Funnel) []Bottleneck {
	out := []Bottleneck{}
	if f == nil {
		return out
	}
	for _, tr := range f.Transitions {
		if !tr.Gap.OK() || tr.Gap.V() <= 0 || !tr.Tested.OK() || tr.Small {
			continue
		}
		b := Bottleneck{
			Segment: f.Segment, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
			Rate: tr.Tested, Window: tr.Window, RawRate: tr.Rate, N: f.Counts[tr.From], Ref: tr.Ref, RefSource: tr.RefSource, RefPeriods: tr.RefPeriods, Gap: tr.Gap,
			Gain: tr.Gain, Extra: tr.Extra, GainValue: tr.GainValue,
			P: tr.PBelow, Adjusted: tr.PBelowAdjusted,
			Confident: tr.Confident, Provisional: tr.Provisional,
		}
		if tr.GainValue.OK() && tr.GainValue.V() > 0 {
			b.GainValueLow, b.GainValueHigh = tr.GainValueLow, tr.GainValueHigh
		}
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Confident != b.Confident {
			return a.Confident
		}
		if c := rankDesc(a.Gain, b.Gain); c != 0 {
			return c < 0
		}
		return a.Gap.V() > b.Gap.V()
	})
	return out
}

// Bottlenecks ranks the bottlenecks of a period and segment.
func (m *Model) Bottlenecks(period string, seg dataset.Segment) []Bottleneck {
	return Bottlenecks(m.Funnel(period, seg))
}

// Grid returns the segment × transition table of step conversion for a
// period.
func (m *Model) Grid(period string) Grid {
	g := Grid{Segments: []string{}, Rates: [][]Opt{}, N: [][]Opt{}, Small: [][]bool{}, Shrunk: [][]Opt{}, Relative: [][]Opt{}}
	all := m.Funnel(period, All)
	for _, seg := range m.Segments {
		f := m.Funnel(period, seg)
		if f == nil {
			continue
		}
		row := make([]Opt, len(f.Transitions))
		ns := make([]Opt, len(f.Transitions))
		small := make([]bool, len(f.Transitions))
		shrunk := make([]Opt, len(f.Transitions))
		rel := make([]Opt, len(f.Transitions))
		for i, tr := range f.Transitions {
			row[i], ns[i], small[i], shrunk[i] = tr.Rate, f.Counts[tr.From], tr.Small, tr.Shrunk
			if all != nil && !tr.Small {
				rel[i] = Ratio(tr.Rate, all.Transitions[i].Rate)
			}
		}
		g.Relative = append(g.Relative, rel)
		g.Segments = append(g.Segments, f.SegmentKey)
		g.Rates = append(g.Rates, row)
		g.N = append(g.N, ns)
		g.Small = append(g.Small, small)
		g.Shrunk = append(g.Shrunk, shrunk)
	}
	return g
}

func (a *analyzer) diagnose(p string) *Diagnosis {
	m := a.m
	pi := m.PeriodIndex(p)
	all := a.at(pi, 0)
	d := &Diagnosis{
		Period:        p,
		Bottlenecks:   Bottlenecks(all),
		Drops:         []Drop{},
		FarBelow:      []FarBelow{},
		SegmentLosses: []SegmentLoss{},
		DrawnOut:      drawnOut(all),
		Holes:         a.periodHoles(pi),
		Grid:          m.Grid(p),
		Tests:         a.families[pi],
		Untested:      a.set.untested,
	}
	for si, seg := range m.Segments {
		d.addClaims(a.at(pi, si), seg)
	}
	slices.SortStableFunc(d.Drops, func(a, b Drop) int { return cmp.Compare(b.Lost.V(), a.Lost.V()) })
	slices.SortStableFunc(d.FarBelow, func(a, b FarBelow) int { return cmp.Compare(b.Lost.V(), a.Lost.V()) })
	sortSegmentLosses(d.SegmentLosses)
	d.Findings = a.findings(d, all)
	return d
}

// addClaims lists f's sharp drops, far-below rates and segment losses.
func (d *Diagnosis) addClaims(f *Funnel, seg dataset.Segment) {
	for _, tr := range f.Transitions {
		c := f.Counts[tr.From]
		if tr.Sharp() {
			d.Drops = append(d.Drops, Drop{
				Segment: f.Segment, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
				Rate: tr.Tested, Prev: tr.TestedPrev, ChangePP: tr.TestedChangePP,
				ChangeRel: RelChange(tr.Tested, tr.TestedPrev), Window: tr.Window, RawRate: tr.Rate, RawPrev: tr.Prev,
				P: tr.PFall, Adjusted: tr.PFallAdjusted, Lost: Some(c.V() * (tr.TestedPrev.V() - tr.Tested.V())),
			})
		}
		if tr.FarBelow && !tr.Provisional {
			d.FarBelow = append(d.FarBelow, FarBelow{
				Segment: f.Segment, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
				Rate: tr.Tested, Window: tr.Window, RawRate: tr.Rate, Ref: tr.Ref, RefSource: tr.RefSource, RefPeriods: tr.RefPeriods,
				P: tr.PBelow, Adjusted: tr.PBelowAdjusted, Lost: Some(c.V() * (tr.Ref.V() - tr.Tested.V())),
			})
		}
		if tr.Loss.OK() && tr.Loss.V() > 0 && !tr.Small && !tr.Provisional {
			d.SegmentLosses = append(d.SegmentLosses, SegmentLoss{
				Segment: seg, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
				Rate: tr.Tested, Window: tr.Window, N: c, Others: tr.Others, Shrunk: tr.Shrunk, Loss: tr.Loss,
				P: tr.PSegment, Adjusted: tr.PSegmentAdjusted, Confident: tr.SegmentConfident,
			})
		}
	}
}

// sortSegmentLosses puts confident losses first, then ranks by the loss
// at the shrunk rate: a tiny segment's extreme raw rate does not lead.
// Ties keep their order. The keys are computed once and the losses moved
// once: a stable sort moving the structs themselves was a twentieth of the
// 400-page site's analysis.
func sortSegmentLosses(ls []SegmentLoss) {
	type key struct {
		confident bool
		loss      float64 // at the shrunk rate
		at        int
	}
	keys := make([]key, len(ls))
	for i, l := range ls {
		keys[i] = key{confident: l.Confident, at: i}
		if l.Shrunk.OK() && l.N.OK() {
			keys[i].loss = l.N.V() * math.Max(0, l.Others.V()-l.Shrunk.V())
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.confident != b.confident {
			if a.confident {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.loss, a.loss); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	sorted := make([]SegmentLoss, len(ls))
	for i, k := range keys {
		sorted[i] = ls[k.at]
	}
	copy(ls, sorted)
}

// drawnOut lists the stages of all that take longer than their
// reference, by client-days lost (then by excess). From records a stage
// is drawn out only when the test says so; a snapshot median is compared
// descriptively.
func drawnOut(all *Funnel) []DrawnOut {
	out := []DrawnOut{}
	for _, du := range all.Durations {
		if du.Excess.OK() && du.Excess.V() > 0 && (du.Source != FromRecords || du.Slower) {
			out = append(out, DrawnOut{SegmentKey: all.SegmentKey, Duration: du})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := rankDesc(a.Load, b.Load); c != 0 {
			return c < 0
		}
		return a.Excess.V() > b.Excess.V()
	})
	return out
}
