package analysis

import (
	"cmp"
	"slices"
	"sort"

	"github.com/funnel-report/funnel/internal/dataset"
)

// Bottlenecks ranks the transitions of a funnel that miss their
// reference: by gain (undefined last), then by gap, then in funnel order.
// A funnel whose every transition meets its reference has none.
func Bottlenecks(f *Funnel) []Bottleneck {
	out := []Bottleneck{}
	if f == nil {
		return out
	}
	for _, tr := range f.Transitions {
		if !tr.Gap.OK || tr.Gap.V <= 0 || !tr.Rate.OK {
			continue
		}
		out = append(out, Bottleneck{
			Segment: f.Segment, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
			Rate: tr.Rate, Ref: tr.Ref, RefSource: tr.RefSource, Gap: tr.Gap,
			Gain: tr.Gain, Extra: tr.Extra, GainValue: tr.GainValue,
			Confident: tr.Confident, Provisional: tr.Provisional,
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Gain.OK != b.Gain.OK {
			return a.Gain.OK
		}
		if a.Gain.OK && a.Gain.V != b.Gain.V {
			return a.Gain.V > b.Gain.V
		}
		return a.Gap.V > b.Gap.V
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
	g := Grid{Segments: []string{}, Rates: [][]Opt{}}
	for _, seg := range m.Segments {
		f := m.Funnel(period, seg)
		if f == nil {
			continue
		}
		row := make([]Opt, len(f.Transitions))
		for i, tr := range f.Transitions {
			row[i] = tr.Rate
		}
		g.Segments = append(g.Segments, f.SegmentKey)
		g.Rates = append(g.Rates, row)
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
		DrawnOut:      []DrawnOut{},
		SegmentLosses: []SegmentLoss{},
		Holes:         a.periodHoles(pi),
		Grid:          m.Grid(p),
	}
	// Count first: a long series with many segments makes these lists
	// the bulk of a diagnosis, and growing them by appending doubles that.
	drops, losses := 0, 0
	for si := range m.Segments {
		for _, tr := range a.at(pi, si).Transitions {
			if tr.Sharp() {
				drops++
			}
			if tr.Loss.OK && tr.Loss.V > 0 {
				losses++
			}
		}
	}
	d.Drops = make([]Drop, 0, drops)
	d.SegmentLosses = make([]SegmentLoss, 0, losses)
	for si, seg := range m.Segments {
		f := a.at(pi, si)
		for _, tr := range f.Transitions {
			if tr.Sharp() {
				d.Drops = append(d.Drops, dropOf(f, tr))
			}
			if tr.Loss.OK && tr.Loss.V > 0 {
				d.SegmentLosses = append(d.SegmentLosses, SegmentLoss{
					Segment: seg, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
					Rate: tr.Rate, AllRate: tr.AllRate, Loss: tr.Loss,
				})
			}
		}
	}
	slices.SortStableFunc(d.Drops, func(a, b Drop) int {
		if a.Fell != b.Fell {
			if a.Fell {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Lost.V, a.Lost.V)
	})
	slices.SortStableFunc(d.SegmentLosses, func(a, b SegmentLoss) int { return cmp.Compare(b.Loss.V, a.Loss.V) })
	for _, du := range all.Durations {
		// From records a stage is drawn out only when the test says so; a
		// snapshot median is compared descriptively.
		if du.Excess.OK && du.Excess.V > 0 && (du.Source != FromRecords || du.Slower) {
			d.DrawnOut = append(d.DrawnOut, DrawnOut{SegmentKey: all.SegmentKey, Duration: du})
		}
	}
	sort.SliceStable(d.DrawnOut, func(i, j int) bool {
		a, b := d.DrawnOut[i], d.DrawnOut[j]
		if a.Load.OK != b.Load.OK {
			return a.Load.OK
		}
		if a.Load.OK && a.Load.V != b.Load.V {
			return a.Load.V > b.Load.V
		}
		return a.Excess.V > b.Excess.V
	})
	d.Findings = a.findings(d, all)
	return d
}

func dropOf(f *Funnel, tr Transition) Drop {
	d := Drop{
		Segment: f.Segment, SegmentKey: f.SegmentKey, From: tr.From, To: tr.To,
		Rate: tr.Rate, Prev: tr.Prev, Ref: tr.Ref, RefSource: tr.RefSource,
		ChangePP: tr.ChangePP, ChangeRel: tr.ChangeRel, PValue: tr.PValue,
		Fell: tr.Fell, BelowHalf: tr.BelowHalf,
	}
	c := f.Counts[tr.From]
	switch {
	case tr.Fell:
		d.Lost = Some(c.V * (tr.Prev.V - tr.Rate.V))
	case tr.Ref.OK && tr.Rate.OK:
		d.Lost = Some(c.V * (tr.Ref.V - tr.Rate.V))
	}
	return d
}
