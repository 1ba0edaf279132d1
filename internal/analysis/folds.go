package analysis

import (
	"slices"

	"github.com/funnel-report/funnel/internal/dataset"
)

// FoldTop is how many segments of a dimension a trend of overall
// conversion draws as lines of their own: the largest by first-step count
// in the latest period. The rest are pooled into one "other (N)" line
// (Model.Folds), so a palette of eight colours never repeats.
const FoldTop = 6

// Fold is the segments of a dimension beyond its FoldTop largest, pooled
// into one: the "other (N)" line of its trend of overall conversion.
type Fold struct {
	Dim string `json:"dimension"`
	// Top are the FoldTop largest values, largest first; Rest the values
	// pooled, in data order.
	Top  []string `json:"top"`
	Rest []string `json:"rest"`
	// Periods holds the pooled overall conversion, one per Model.Periods.
	Periods []Pooled `json:"periods"`
}

// Pooled is an overall conversion pooled over several segments: Entered
// is the first step's count summed over the segments whose first and
// last counts are both known, Converted their last step's, and Rate =
// Converted / Entered — pooled from the counts, never an average of
// rates. Small: Entered is under min_sample; Provisional: any pooled
// segment's overall conversion rests on a maturing cohort.
type Pooled struct {
	Period      string `json:"period"`
	Entered     Opt    `json:"entered"`
	Converted   Opt    `json:"converted"`
	Rate        Opt    `json:"rate"`
	Small       bool   `json:"small_sample,omitempty"`
	Provisional bool   `json:"provisional,omitempty"`
}

// Fold returns dim's fold, or nil when it has FoldTop segments or fewer.
func (m *Model) Fold(dim string) *Fold {
	for i := range m.Folds {
		if m.Folds[i].Dim == dim {
			return &m.Folds[i]
		}
	}
	return nil
}

// ByVolume returns dim's segments by volume (the first step's count) in
// period, largest first; unmeasured ones last; data order on ties.
func (m *Model) ByVolume(period, dim string) []dataset.Segment {
	type ranked struct {
		seg dataset.Segment
		vol Opt
	}
	var rs []ranked
	for _, s := range m.Segments {
		if s.Dim == dim && !s.IsAll() {
			r := ranked{seg: s}
			if f := m.Funnel(period, s); f != nil && len(f.Counts) > 0 {
				r.vol = f.Counts[0]
			}
			rs = append(rs, r)
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return rankDesc(a.vol, b.vol) })
	out := make([]dataset.Segment, len(rs))
	for i, r := range rs {
		out[i] = r.seg
	}
	return out
}

// folds pools, for each dimension with more than FoldTop segments, the
// segments beyond its FoldTop largest in the latest period.
func (a *analyzer) folds() []Fold {
	m := a.m
	last := len(m.Steps) - 1
	if last < 1 {
		return []Fold{}
	}
	out := []Fold{}
	for _, dim := range m.Dims {
		ranked := m.ByVolume(m.Latest, dim)
		if len(ranked) <= FoldTop {
			continue
		}
		fd := Fold{Dim: dim, Top: []string{}, Rest: []string{}, Periods: make([]Pooled, len(m.Periods))}
		top := map[string]bool{}
		for _, s := range ranked[:FoldTop] {
			fd.Top = append(fd.Top, s.Value)
			top[s.Value] = true
		}
		var rest []dataset.Segment
		for _, s := range m.Segments {
			if s.Dim == dim && !s.IsAll() && !top[s.Value] {
				fd.Rest = append(fd.Rest, s.Value)
				rest = append(rest, s)
			}
		}
		for pi, p := range m.Periods {
			fd.Periods[pi] = a.pool(p, rest, last)
		}
		out = append(out, fd)
	}
	return out
}

// pool is the overall conversion to step last of segs pooled in period p.
func (a *analyzer) pool(p string, segs []dataset.Segment, last int) Pooled {
	x := Pooled{Period: p}
	var entered, converted float64
	n := 0
	for _, s := range segs {
		f := a.m.Funnel(p, s)
		if f == nil || !f.Counts[0].OK() || !f.Counts[last].OK() {
			continue
		}
		entered += f.Counts[0].V()
		converted += f.Counts[last].V()
		x.Provisional = x.Provisional || f.CumulativeProvisional(last-1)
		n++
	}
	if n == 0 {
		return x
	}
	x.Entered, x.Converted = Some(entered), Some(converted)
	x.Rate = Ratio(x.Converted, x.Entered)
	x.Small = entered < a.set.minSample
	return x
}
