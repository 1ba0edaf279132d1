package analysis

import (
	"math"
	"slices"

	"github.com/funnel-report/funnel/internal/dataset"
)

// Time to convert (docs/design.md §3): per transition, the Aalen–Johansen
// cumulative incidence of the leads that reached its from-step, its
// quantiles against the horizon H, the conversion window W and the
// windowed rate r^W; drawn-out stages against the pooled previous periods.

// incidence estimates the time to convert into step to over the leads of
// the given periods (pooled) in one segment.
func (a *analyzer) incidence(periods []string, seg dataset.Segment, to int) Incidence {
	step := a.m.Steps[to].ID
	if len(periods) == 1 {
		lost, open := a.t.ExitDays(periods[0], seg, step)
		return aalenJohansen(a.t.DurationDays(periods[0], seg, step), lost, open)
	}
	var convs, losts, opens []dataset.Days
	for _, p := range periods {
		lost, open := a.t.ExitDays(p, seg, step)
		convs, losts, opens = append(convs, a.t.DurationDays(p, seg, step)), append(losts, lost), append(opens, open)
	}
	return aalenJohansen(dataset.MergeDays(convs...), dataset.MergeDays(losts...), dataset.MergeDays(opens...))
}

// windows sets each transition's conversion window W: window_days, else
// the p90 time to convert over every cohort up to the built period (the
// model's periods end there), rounded up to whole weeks so that it does
// not move with every day of new data. Only for cohorts of records or
// events: counted by event, a period holds no cohort to wait for.
func (a *analyzer) windows() {
	m := a.m
	m.Windows = make([]Window, max(0, len(m.Steps)-1))
	cohorts := a.t.HasDurations() && cohortRecords(a.cfg)
	for i := range m.Windows {
		w := Window{From: i, To: i + 1}
		if cohorts {
			if p90, _ := a.incidence(m.Periods, dataset.All, i+1).Quantile(0.9, m.Horizon); p90.OK() {
				w.Estimate = p90
				w.Days, w.Source = Some(7*max(1, math.Ceil(p90.V()/7))), WindowEstimated
			}
			if wd := m.Steps[i+1].WindowDays; wd.OK() {
				w.Days, w.Source = wd, WindowConfigured
			}
		}
		m.Windows[i] = w
	}
}

// cumulativeWindows sums the conversion windows from the first step to
// each step: how old a cohort must be before its conversion into the step
// is final (0 where no window is known).
func (a *analyzer) cumulativeWindows() []float64 {
	cum := make([]float64, len(a.m.Steps))
	for s := 1; s < len(cum); s++ {
		cum[s] = cum[s-1]
		if w := a.m.Windows[s-1].Days; w.OK() {
			cum[s] += w.V()
		}
	}
	return cum
}

// durations fills each transition's time to convert: from records, the
// Aalen–Johansen quantiles, the share over max_days, the windowed rate and
// (all segments) the curve; else the median of a duration_of metric.
//
// A funnel whose transitions have no duration at all (snapshots without a
// duration_of metric: most segment funnels of a big site) shares one
// read-only slice of bare durations: 13,000 funnels' copies were a quarter
// of a 400-page site's model. Everything that fills a duration later skips
// those with no Source, so the shared slice is never written.
func (a *analyzer) durations(f *Funnel) {
	f.Durations = nil
	h := a.m.Horizon
	for i, tr := range f.Transitions {
		d := Duration{From: tr.From, To: tr.To}
		step := a.m.Steps[tr.To]
		var conv, lost, open dataset.Days
		if a.t.HasDurations() { // snapshots have none to look up
			conv = a.t.DurationDays(f.Period, f.Segment, step.ID)
			lost, open = a.t.ExitDays(f.Period, f.Segment, step.ID)
		}
		if conv.Len()+lost.Len()+open.Len() > 0 {
			inc := aalenJohansen(conv, lost, open)
			d.Source, d.N, d.Lost, d.Open, d.Horizon = FromRecords, conv.Len(), lost.Len(), open.Len(), Some(h)
			d.Q1, d.Beyond = inc.Quantile(0.25, h)
			d.Median, _ = inc.Quantile(0.5, h)
			d.Q3, _ = inc.Quantile(0.75, h)
			d.P90, _ = inc.Quantile(0.9, h)
			if !d.Beyond {
				d.Min = Some(inc.Days[0])
				if step.MaxDays.OK() {
					d.OverShare = Some(max(0, 1-inc.At(min(step.MaxDays.V(), h))/inc.At(h)))
				}
			}
			if f.Segment.IsAll() {
				for k, t := range inc.Days {
					if t <= h {
						d.Curve = append(d.Curve, CurvePoint{t, inc.F[k]})
					}
				}
			}
			// r^W needs every lead at the from-step, not only those who
			// converted: a table of durations alone has no denominator.
			if w := a.m.Windows[i].Days; w.OK() && a.t.HasExits() {
				d.Window, d.WindowK = w, Some(float64(conv.AtMost(w.V())))
				d.WindowN = Some(float64(conv.Len() + lost.Len() + open.Len()))
				d.WindowRate = Ratio(d.WindowK, d.WindowN)
				age := a.cohortAge(f.Period)
				d.WindowProvisional = !age.OK() || age.V() < a.cumulativeWindows()[tr.To]
			}
		} else if x := a.durMetric[tr.To]; x >= 0 && f.Metrics[x].OK() {
			d.Source = FromMetric
			d.Median = f.Metrics[x]
		}
		if d.Source == "" && f.Durations == nil {
			continue // still bare: shared below, unless a later one is not
		}
		if f.Durations == nil {
			f.Durations = make([]Duration, len(f.Transitions))
			copy(f.Durations, a.bareDurations(f.Transitions))
		}
		f.Durations[i] = d
	}
	if f.Durations == nil {
		f.Durations = a.bareDurations(f.Transitions)
	}
}

// bareDurations is the shared read-only slice of durations that know
// nothing, one per transition of trs (every funnel has the model's steps).
func (a *analyzer) bareDurations(trs []Transition) []Duration {
	if a.bare == nil || len(a.bare) != len(trs) {
		a.bare = make([]Duration, len(trs))
		for i, tr := range trs {
			a.bare[i] = Duration{From: tr.From, To: tr.To}
		}
	}
	return a.bare[:len(a.bare):len(a.bare)]
}

// durationRefs sets each transition's reference days — max_days, else the
// median time to convert of the pooled previous periods — and, for
// records, the one-sided test that this period is slower.
func (a *analyzer) durationRefs(f *Funnel, pi int) {
	prev := a.previous(f.si, pi, a.set.lookback)
	periods := make([]string, 0, len(prev))
	for _, p := range prev {
		periods = append(periods, p.Period)
	}
	for i := range f.Durations {
		d := &f.Durations[i]
		if d.Source == "" {
			continue
		}
		conv := a.t.DurationDays(f.Period, f.Segment, a.m.Steps[d.To].ID)
		if md := a.m.Steps[d.To].MaxDays; md.OK() {
			d.Ref, d.RefSource = md, RefMaxDays
			if d.Source == FromRecords {
				d.PValue = signTestAbove(conv, md.V())
			}
		} else if d.Source == FromRecords && len(periods) > 0 {
			if med, _ := a.incidence(periods, f.Segment, d.To).Quantile(0.5, a.m.Horizon); med.OK() {
				d.Ref, d.RefSource = med, RefPrevious
				pooled := make([]dataset.Days, len(periods))
				for i, p := range periods {
					pooled[i] = a.t.DurationDays(p, f.Segment, a.m.Steps[d.To].ID)
				}
				d.PValue = mannWhitneyGreater(conv, dataset.MergeDays(pooled...))
			}
		} else if d.Source == FromMetric {
			var ms []float64 // snapshots: the pooled median is the median of the previous medians
			for _, p := range prev {
				if v := p.Durations[i].Median; v.OK() {
					ms = append(ms, v.V())
				}
			}
			if len(ms) > 0 {
				slices.Sort(ms)
				d.Ref, d.RefSource = Median(ms), RefPrevious
			}
		}
		d.Excess = Diff(d.Median, d.Ref)
		d.Load = DelayLoad(d.Median, d.Ref, f.Counts[d.To])
		// Slower is decided by the period's Benjamini–Hochberg family
		// (claims.go, settleDrawnOut).
	}
}

// MannWhitneyGreater is the one-sided Mann–Whitney test that x (sorted)
// tends to be larger than y (sorted): the normal approximation with the
// tie correction and a continuity correction. Undefined when either is
// empty. O(n + m) on sorted input.
func MannWhitneyGreater(x, y []float64) Opt {
	return mannWhitneyGreater(dataset.DaysOf(x), dataset.DaysOf(y))
}

// mannWhitneyGreater is MannWhitneyGreater over runs of days: O(runs).
func mannWhitneyGreater(x, y dataset.Days) Opt {
	n1, n2 := float64(x.Len()), float64(y.Len())
	if n1 == 0 || n2 == 0 {
		return None
	}
	// U counts the pairs with x > y, ties one half; ties also feed the
	// variance correction Σ(t³ − t).
	u, ties := 0.0, 0.0
	i, j, below := 0, 0, 0 // below: the y values taken so far
	for i < x.Runs() || j < y.Runs() {
		v := math.Inf(1)
		if i < x.Runs() {
			v, _ = x.Run(i)
		}
		if j < y.Runs() {
			if w, _ := y.Run(j); w < v {
				v = w
			}
		}
		ci := takeTies(x, &i, v)
		cj := takeTies(y, &j, v)
		below += cj
		// The ci x-values at v beat the below−cj y-values below v, and tie cj.
		u += float64(ci) * (float64(below-cj) + 0.5*float64(cj))
		if t := float64(ci + cj); t > 1 {
			ties += t*t*t - t
		}
	}
	n := n1 + n2
	variance := n1 * n2 / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 {
		return Some(1) // every value tied: no evidence either way
	}
	z := (u - n1*n2/2 - 0.5) / math.Sqrt(variance)
	return Some(0.5 * math.Erfc(z/math.Sqrt2))
}

// SignTestAbove is the exact one-sided sign test that the median of xs
// is above limit: values equal to it are left out, p = P(B ≥ above) for
// B ~ Binomial(n, ½). Undefined without values off the limit.
func SignTestAbove(xs []float64, limit float64) Opt {
	return signTestAbove(dataset.DaysOf(xs), limit)
}

// signTestAbove is SignTestAbove over runs of days (any order).
func signTestAbove(xs dataset.Days, limit float64) Opt {
	above, n := 0, 0
	for i := range xs.Runs() {
		x, c := xs.Run(i)
		if x > limit {
			above += c
			n += c
		} else if x < limit {
			n += c
		}
	}
	return signTail(above, n)
}

// signTail is the sign test's p-value for above of n values above the
// limit: P(B ≥ above) for B ~ Binomial(n, ½); undefined for n = 0.
func signTail(above, n int) Opt {
	if n == 0 {
		return None
	}
	// log P(B = k) summed over k ≥ above, in logs to survive large n.
	lg := func(v int) float64 { r, _ := math.Lgamma(float64(v) + 1); return r }
	p := 0.0
	for k := above; k <= n; k++ {
		p += math.Exp(lg(n) - lg(k) - lg(n-k) - float64(n)*math.Ln2)
	}
	return Some(min(1, p))
}
