package analysis

import (
	"math"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// settings are the statistics settings of a run (config "diagnosis").
type settings struct {
	best      bool    // reference: best — the best previous period, labelled
	lookback  int     // k: previous comparable periods pooled
	minSample float64 // below it a rate is not ranked or tested
	q         float64 // the false discovery rate of a period's family
	untested  bool    // period_by: event — claims are descriptive
}

func settingsOf(cfg *config.Config) settings {
	d := cfg.Diagnosis
	s := settings{best: d.Reference == config.ReferenceBest, lookback: d.Lookback, minSample: d.MinSample, q: d.FDR,
		untested: cfg.EventPeriods()}
	// A config built in code (not through Parse) may leave them zero.
	if s.lookback <= 0 {
		s.lookback = config.DefaultLookback
	}
	if s.minSample <= 0 {
		s.minSample = config.DefaultMinSample
	}
	if s.q <= 0 || s.q >= 1 {
		s.q = config.DefaultFDR
	}
	return s
}

// minRelFall is how far a rate must fall, relative, to be a sharp drop.
const minRelFall = 0.10

// trials is the sample every test and reference of transition i of f
// rests on: (c_i, c_{i−1}) for snapshots, k clamped to n.
//
// Records: windowed counts, see part B — r^W counts conversions within W
// days of the previous step; this is the one place to substitute them.
func (a *analyzer) trials(f *Funnel, i int) (Sample, bool) {
	// Records and events: the windowed rate r^W, so that cohorts of every
	// age are compared at the same age (durations are filled first).
	if i < len(f.Durations) {
		if d := &f.Durations[i]; d.WindowN.OK() && d.WindowN.V() > 0 {
			return Sample{K: d.WindowK.V(), N: d.WindowN.V()}.clamp(), true
		}
	}
	k, n := f.Counts[i+1], f.Counts[i]
	if !k.OK() || !n.OK() || n.V() <= 0 {
		return Sample{}, false
	}
	return Sample{K: k.V(), N: n.V()}.clamp(), true
}

// tested is the rate transition i of f is tested and cited at: r^W with
// its window W for records and events (the windowed sample of trials),
// else the raw r_i with no window; with its Wilson interval.
func (a *analyzer) tested(f *Funnel, i int) (rate, window, low, high Opt) {
	tr := &f.Transitions[i]
	if i < len(f.Durations) {
		if d := &f.Durations[i]; d.WindowN.OK() && d.WindowN.V() > 0 {
			s := Sample{K: d.WindowK.V(), N: d.WindowN.V()}.clamp()
			lo, hi := Wilson(s.K, s.N)
			return Some(s.K / s.N), d.Window, lo, hi
		}
	}
	return tr.Rate, None, tr.Low, tr.High
}

// poolable reports whether transition i of a previous period may enter a
// pooled reference or be compared with: only matured cohorts (for
// records, cohorts at least W old) — the one provisional rule decides.
func (a *analyzer) poolable(f *Funnel, i int) bool { return !f.Transitions[i].Provisional }

// Provisional is the one rule for "provisional" (docs/design.md §3): a number is
// provisional when it rests on a cohort whose age is under the days its
// step needs to mature. For records part B feeds it the cohort's age and
// the transition's window W. Unknown ages or needs are not provisional.
func Provisional(age, need Opt) bool {
	return age.OK() && need.OK() && need.V() > 0 && age.V() < need.V()
}

// dimTotals sums, per transition, the samples of every segment of dim in
// period pi.
func (a *analyzer) dimTotals(pi int, dim string) []Sample {
	if v, ok := a.totals[pi][dim]; ok {
		return v
	}
	n := max(0, len(a.m.Steps)-1)
	out := make([]Sample, n)
	for _, v := range a.t.SegmentValues(dim) {
		si, ok := a.segIndex[dataset.Segment{Dim: dim, Value: v}]
		if !ok {
			continue
		}
		f := a.at(pi, si)
		for i := range n {
			if s, ok := a.trials(f, i); ok {
				out[i].K += s.K
				out[i].N += s.N
			}
		}
	}
	if a.totals[pi] == nil {
		a.totals[pi] = map[string][]Sample{}
	}
	a.totals[pi][dim] = out
	return out
}

// others fills each transition's rate of the other segments of f's
// dimension (never a total that contains f).
func (a *analyzer) others(f *Funnel, pi int) {
	if f.Segment.IsAll() {
		return
	}
	tot := a.dimTotals(pi, f.Segment.Dim)
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		o := tot[i]
		if s, ok := a.trials(f, i); ok {
			o.K -= s.K
			o.N -= s.N
		}
		if o.N > 0.5 {
			tr.othersSample = Sample{math.Max(0, o.K), o.N}.clamp()
			tr.Others = Some(tr.othersSample.K / tr.othersSample.N)
		}
	}
}

// references picks r*_i for every transition of f (docs/design.md §3): the target;
// else the pooled rate of the previous k periods of the same segment
// (reference: best — the best of them, labelled); else the other segments'
// rate this period. A sampled reference resting on fewer than min_sample
// cases is no reference: an agent's 10 of 10 is not a benchmark.
func (a *analyzer) references(f *Funnel, pi int) {
	prev := a.previous(f.si, pi, a.set.lookback)
	past := make([]Sample, 0, a.set.lookback)
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		x, ok := a.trials(f, i)
		tr.Small = !ok || x.N < a.set.minSample
		tr.Tested, tr.Window, tr.TestedLow, tr.TestedHigh = a.tested(f, i)
		past = past[:0]
		for _, p := range prev {
			if s, has := a.trials(p, i); has && a.poolable(p, i) {
				past = append(past, s)
			}
		}
		phi := Overdispersion(past)
		if len(past) > 0 {
			tr.Phi = Some(phi)
		}
		a.pickReference(tr, past)
		tr.Gap = Diff(tr.Ref, tr.Tested)
		if tr.Gap.OK() && ok {
			tr.gapInterval(x, phi)
		}
	}
}

// pickReference sets tr's reference from the step's target, else the
// past periods' samples (their pool, or the best of them), else the
// other segments this period.
func (a *analyzer) pickReference(tr *Transition, past []Sample) {
	target := a.m.Steps[tr.To].Target
	switch {
	case target.OK():
		tr.Ref, tr.RefSource = target, RefTarget
	case a.set.best:
		best, found := Sample{}, false
		for _, s := range past {
			if s.N >= a.set.minSample && (!found || s.K/s.N > best.K/best.N) {
				best, found = s, true
			}
		}
		if found {
			tr.Ref, tr.RefSource, tr.RefN, tr.refSample = Some(best.K/best.N), RefBest, Some(best.N), best
		}
	default:
		if pool := Pool(past); pool.N >= a.set.minSample {
			tr.Ref, tr.RefSource, tr.RefN, tr.refSample = Some(pool.K/pool.N), RefPrevious, Some(pool.N), pool
			tr.RefPeriods = len(past)
		}
	}
	if !tr.Ref.OK() && tr.Others.OK() && tr.othersSample.N >= a.set.minSample {
		tr.Ref, tr.RefSource, tr.RefN, tr.refSample = tr.Others, RefSegments, Some(tr.othersSample.N), tr.othersSample
	}
}

// gapInterval is the 95% interval of r* − r for x's rate: a target is a
// constant, so the rate's Wilson interval alone; a sampled reference adds
// its own binomial noise, and both sides the periods' overdispersion phi.
func (tr *Transition) gapInterval(x Sample, phi float64) {
	if tr.RefSource == RefTarget {
		tr.GapLow, tr.GapHigh = Diff(tr.Ref, tr.TestedHigh), Diff(tr.Ref, tr.TestedLow)
		return
	}
	r, rr := x.K/x.N, tr.refSample.K/tr.refSample.N
	ph := 1.0
	if tr.RefSource != RefSegments {
		ph = phi
	}
	half := z95 * math.Sqrt(ph*(r*(1-r)/x.N+rr*(1-rr)/tr.refSample.N))
	tr.GapLow, tr.GapHigh = Some(rr-r-half), Some(rr-r+half)
}

// register adds the tests of f's transitions to the period's family:
// the rate against its reference, the fall against the previous period,
// and a segment against the other segments. Small samples and
// provisional rates are never tested. Every test is registered whatever
// its sign: keeping only the gaps that point the "right" way would halve
// the family and double its false claims.
func (a *analyzer) register(f *Funnel, pi int) {
	fam := a.families[pi]
	var prev *Funnel
	if pi > 0 {
		prev = a.at(pi-1, f.si)
	}
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		x, ok := a.trials(f, i)
		if !ok || tr.Small || tr.Provisional {
			continue
		}
		mk := func(kind string, p Opt) testRef {
			return fam.add(Test{Kind: kind, Segment: f.SegmentKey, From: tr.From, To: tr.To, P: p})
		}
		if !f.Segment.IsAll() && tr.Others.OK() && tr.othersSample.N >= a.set.minSample {
			tr.PSegment = BelowSampled(x, tr.othersSample, 1)
			tr.seg = mk(TestSegment, tr.PSegment)
		}
		switch tr.RefSource {
		case RefTarget:
			tr.PBelow = MidPBelow(x.K, x.N, tr.Ref.V())
			tr.below = mk(TestBelow, tr.PBelow)
		case RefPrevious, RefBest:
			tr.PBelow = BelowSampled(x, tr.refSample, tr.Phi.V())
			tr.below = mk(TestBelow, tr.PBelow)
		case RefSegments: // the same test as the segment's: registered once
			tr.PBelow, tr.below = tr.PSegment, tr.seg
		}
		if prev != nil && a.poolable(prev, i) {
			if ps, ok := a.trials(prev, i); ok && ps.N >= a.set.minSample {
				tr.PFall = BelowSampled(x, ps, math.Max(1, tr.Phi.V()))
				tr.fall = mk(TestFall, tr.PFall)
			}
		}
	}
}

// settle reads the family's verdicts into f's transitions, once every
// family is adjusted.
func (a *analyzer) settle(f *Funnel, pi int) {
	fam := a.families[pi]
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		if tr.Small || tr.Provisional {
			continue
		}
		a.verdicts(tr, fam)
		tr.copyAdjusted(fam)
		tr.Detectable = a.detectable(f, pi, i, fam)
	}
}

// verdicts sets tr's claims from the direction of its tested rate and its
// tests' adjusted verdicts. Untested (period_by: event), a claim is its
// point estimate, descriptive: never confident.
func (a *analyzer) verdicts(tr *Transition, fam *Family) {
	r, prev := tr.Tested, tr.TestedPrev
	below := tr.Gap.OK() && tr.Gap.V() > 0 && r.OK()
	fell := prev.OK() && prev.V() > 0 && r.OK() &&
		(math.Min(prev.V(), 1)-math.Min(r.V(), 1))/math.Min(prev.V(), 1) >= minRelFall-1e-12
	segBelow := tr.Others.OK() && r.OK() && r.V() < tr.Others.V()
	if a.set.untested {
		tr.FarBelow = below && r.V() < tr.Ref.V()/2
		tr.Fell = fell && tr.PFall.OK()
		tr.SegmentConfident = false
		return
	}
	confident := func(r testRef) bool { t := fam.at(r); return t != nil && t.Confident }
	tr.Confident = below && confident(tr.below)
	tr.FarBelow = tr.Confident && r.V() < tr.Ref.V()/2
	tr.Fell = fell && confident(tr.fall)
	tr.SegmentConfident = segBelow && confident(tr.seg)
}

// copyAdjusted copies the family-adjusted p-values of tr's registered
// tests into the model.
func (tr *Transition) copyAdjusted(fam *Family) {
	if t := fam.at(tr.below); t != nil {
		tr.PBelowAdjusted = t.Adjusted
	}
	if t := fam.at(tr.fall); t != nil {
		tr.PFallAdjusted = t.Adjusted
	}
	if t := fam.at(tr.seg); t != nil {
		tr.PSegmentAdjusted = t.Adjusted
	}
}

// detectable is the smallest fall that transition i of f could show and
// still survive its family as a lone claim (p < q/m): against the
// reference when there is one, else against the previous period.
func (a *analyzer) detectable(f *Funnel, pi, i int, fam *Family) Opt {
	tr := f.Transitions[i]
	x, ok := a.trials(f, i)
	if !ok || tr.Small {
		return None
	}
	z := UpperZ(fam.Threshold())
	var rho, varRef float64
	switch {
	case tr.RefSource == RefTarget:
		rho = tr.Ref.V()
	case tr.Ref.OK():
		rho, varRef = tr.Ref.V(), 1/tr.refSample.N
	case pi > 0:
		ps, ok := a.trials(a.at(pi-1, f.si), i)
		if !ok || ps.N < a.set.minSample {
			return None
		}
		rho, varRef = ps.K/ps.N, 1/ps.N
	default:
		return None
	}
	rho = math.Max(0, math.Min(rho, 1))
	phi := 1.0
	if tr.RefSource != RefSegments && tr.RefSource != RefTarget && tr.Phi.OK() {
		phi = tr.Phi.V()
	}
	return Some(math.Min(rho, z*math.Sqrt(phi*rho*(1-rho)*(1/x.N+varRef))))
}

// shrink fills, for every segment of every dimension in period pi, the
// empirical-Bayes beta-binomial rate of each transition, pulled toward the
// rate of the other segments: (k + M·others)/(n + M). The prior strength
// M comes from the method of moments over the dimension's segments —
// M = μ(1−μ)/τ² − 1 with τ² the between-segment variance beyond binomial
// noise — and is min_sample with fewer than 5 segments or τ² ≤ 0.
func (a *analyzer) shrink(pi int) {
	for _, dim := range a.m.Dims {
		var fs []*Funnel
		for _, v := range a.t.SegmentValues(dim) {
			if si, ok := a.segIndex[dataset.Segment{Dim: dim, Value: v}]; ok {
				fs = append(fs, a.at(pi, si))
			}
		}
		for i := range max(0, len(a.m.Steps)-1) {
			var xs []Sample
			var tot Sample
			for _, f := range fs {
				if s, ok := a.trials(f, i); ok {
					xs = append(xs, s)
					tot.K += s.K
					tot.N += s.N
				}
			}
			strength := a.priorStrength(xs, tot)
			for _, f := range fs {
				tr := &f.Transitions[i]
				s, ok := a.trials(f, i)
				if !ok || !tr.Others.OK() {
					continue
				}
				tr.Shrunk = Some((s.K + strength*tr.Others.V()) / (s.N + strength))
			}
		}
	}
}

// priorStrength is the method-of-moments prior strength M of a
// beta-binomial over the samples (min_sample when it cannot be told).
func (a *analyzer) priorStrength(xs []Sample, tot Sample) float64 {
	if len(xs) < 5 || tot.N <= 0 {
		return a.set.minSample
	}
	mu := tot.K / tot.N
	if mu <= 0 || mu >= 1 {
		return a.set.minSample
	}
	// τ² = (Σ n_s (r_s − μ)² − (S−1)·μ(1−μ)) / (N − Σ n_s²/N)
	ss, n2 := 0.0, 0.0
	for _, x := range xs {
		d := x.K/x.N - mu
		ss += x.N * d * d
		n2 += x.N * x.N
	}
	den := tot.N - n2/tot.N
	if den <= 0 {
		return a.set.minSample
	}
	tau2 := (ss - float64(len(xs)-1)*mu*(1-mu)) / den
	if tau2 <= 0 {
		return a.set.minSample
	}
	return math.Max(0, mu*(1-mu)/tau2-1)
}

// registerDrawnOut adds the one-sided test of every all-segment
// transition's days (Mann–Whitney against the pooled previous periods, or
// the sign test against max_days) to the period's family, whatever the
// sign of its excess; provisional cohorts are not tested.
func (a *analyzer) registerDrawnOut(f *Funnel, pi int) []*Test {
	out := make([]*Test, len(f.Durations))
	for i, d := range f.Durations {
		if d.Source != FromRecords || f.Transitions[i].Provisional {
			continue
		}
		out[i] = a.families[pi].Add(Test{Kind: TestDrawnOut, Segment: f.SegmentKey, From: d.From, To: d.To, P: d.PValue})
	}
	return out
}

// settleDrawnOut reads the family's verdicts: a stage is slower only when
// its excess is positive and its test survives (untested: the excess
// alone, descriptive).
func (a *analyzer) settleDrawnOut(f *Funnel, tests []*Test) {
	for i := range f.Durations {
		d := &f.Durations[i]
		if d.Source != FromRecords {
			continue
		}
		excess := d.Excess.OK() && d.Excess.V() > 0 && !f.Transitions[i].Provisional
		switch {
		case a.set.untested:
			d.Slower = excess && d.PValue.OK()
		case tests != nil && tests[i] != nil:
			d.Slower = excess && tests[i].Confident
			d.PAdjusted = tests[i].Adjusted
		default:
			d.Slower = false
		}
	}
}
